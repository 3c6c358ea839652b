-- pipeline_schedules is the one source of schedules. On Supabase, pg_cron runs each enabled row as a
-- job named stratos_<id> whose command is `select stratos.run_schedule('<id>')`; a trigger keeps the
-- jobs in step with the rows, so enabling, disabling or editing a schedule (control-api's PATCH
-- /schedules, the dashboard, SQL) updates pg_cron in the same transaction. Pipeline and drain
-- schedules call the stage functions with pg_net, reading the project URL and the secret key from
-- Vault (Supabase's documented pattern); watchdog and cleanup schedules run SQL directly.
-- Without pg_cron (the embedded PostgreSQL of the local stack and most tests) everything here still
-- installs and the sync is a no-op: the local scheduler (scripts/local/scheduler.ts) reads the same
-- rows and calls the same watchdog and cleanup functions.

-- Internal functions live outside the API-exposed public schema and are callable only by their owner.
create schema if not exists stratos;
revoke all on schema stratos from public;
alter default privileges in schema stratos revoke execute on functions from public;

-- The extensions, where this server can load them. pg_cron only loads when preloaded and only in
-- the database named by cron.database_name; pg_net needs to be preloaded too. Anywhere else the
-- reason is reported and the schedules stay with the local scheduler.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    begin
      create extension if not exists pg_cron with schema pg_catalog;
    exception when others then
      raise notice 'pg_cron not enabled here (%); pipeline_schedules are not synced to pg_cron', sqlerrm;
    end;
  end if;
  if exists (select 1 from pg_available_extensions where name = 'pg_net') then
    begin
      create extension if not exists pg_net with schema extensions;
    exception when others then
      raise notice 'pg_net not enabled here (%)', sqlerrm;
    end;
  end if;
end
$$;

-- Watchdog and cleanup are schedules like the others.
alter table public.pipeline_schedules
  drop constraint pipeline_schedules_action_check,
  add constraint pipeline_schedules_action_check check (action in ('pipeline', 'drain', 'watchdog', 'cleanup'));

-- A run still 'running' past its deadline is stuck (no worker is draining, or its last finalize was
-- lost); the watchdog fails it. The deadline is set when the run starts and again whenever it is
-- reopened (a rerun or a retry), from `stratos.run_max_duration` (e.g. `alter database postgres set
-- stratos.run_max_duration = '12 hours'`), default 6 hours.
alter table public.pipeline_runs add column deadline_at timestamptz;
update public.pipeline_runs
  set deadline_at = coalesce(finished_at, started_at + interval '6 hours');
alter table public.pipeline_runs alter column deadline_at set not null;
create index pipeline_runs_open_deadline_idx on public.pipeline_runs (deadline_at) where status = 'running';

/** Sets deadline_at when a run is created or reopened; reopening also clears the watchdog's mark. */
create function stratos.set_run_deadline() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'INSERT' and new.deadline_at is not null then
    return new;
  end if;
  if tg_op = 'UPDATE' then
    new.summary := new.summary - 'timed_out';
  end if;
  new.deadline_at := now() + coalesce(
    nullif(current_setting('stratos.run_max_duration', true), '')::interval,
    interval '6 hours'
  );
  return new;
end
$$;

create trigger pipeline_runs_deadline_on_insert
  before insert on public.pipeline_runs
  for each row execute function stratos.set_run_deadline();
create trigger pipeline_runs_deadline_on_reopen
  before update of status on public.pipeline_runs
  for each row when (new.status = 'running' and old.status <> 'running')
  execute function stratos.set_run_deadline();

/**
 * The watchdog: puts jobs whose lease expired with attempts left back in the queue, and fails runs
 * past their deadline together with all their open jobs (their leases are cleared, so a worker still
 * holding one cannot record a result; stage writes are idempotent, so a retry converges). Runs and
 * jobs of a timed-out run carry the reason; the run's summary gets timed_out = true.
 */
create function stratos.run_watchdog() returns jsonb
language plpgsql set search_path = '' as $$
declare
  released integer;
  timed_out integer;
  closed integer;
begin
  update public.pipeline_jobs
  set status = 'queued', locked_by = null, locked_until = null, updated_at = now()
  where status = 'running' and locked_until < now() and attempts < max_attempts;
  get diagnostics released = row_count;

  with stuck as (
    update public.pipeline_runs r
    set status = 'failed', finished_at = now(),
        summary = r.summary || jsonb_build_object(
          'timed_out', true,
          'error', format('timed out: still running at its deadline %s', r.deadline_at)
        )
    where r.status = 'running' and r.deadline_at < now()
    returning r.id
  ),
  failed_jobs as (
    update public.pipeline_jobs j
    set status = 'failed', locked_by = null, locked_until = null, updated_at = now(),
        last_error = coalesce(j.last_error || '; ', '') || 'released by the watchdog: its run timed out'
    where j.run_id in (select id from stuck) and j.status in ('queued', 'running')
    returning j.id
  )
  select (select count(*) from stuck), (select count(*) from failed_jobs) into timed_out, closed;

  return jsonb_build_object('released_jobs', released, 'timed_out_runs', timed_out, 'failed_jobs', closed);
end
$$;

/**
 * Cleanup: deletes finished runs (with their jobs, per-asset errors and pending reviews) and pg_cron's
 * run history older than `keep` (default `stratos.retention`, else 30 days). Market data, features,
 * signal facts, reviews and the data-quality ledger are never touched.
 */
create function stratos.run_cleanup(keep interval default null) returns jsonb
language plpgsql set search_path = '' as $$
declare
  horizon timestamptz := now() - coalesce(
    keep,
    nullif(current_setting('stratos.retention', true), '')::interval,
    interval '30 days'
  );
  jobs integer;
  runs integer;
  cron_rows integer := 0;
begin
  delete from public.pipeline_jobs j
  using public.pipeline_runs r
  where j.run_id = r.id and r.status <> 'running' and r.finished_at < horizon;
  get diagnostics jobs = row_count;

  delete from public.pipeline_runs where status <> 'running' and finished_at < horizon;
  get diagnostics runs = row_count;

  if to_regclass('cron.job_run_details') is not null then
    delete from cron.job_run_details where end_time < horizon;
    get diagnostics cron_rows = row_count;
  end if;

  return jsonb_build_object('deleted_runs', runs, 'deleted_jobs', jobs, 'deleted_cron_run_details', cron_rows);
end
$$;

/**
 * POSTs `payload` to the project's function path (`<fn>` or `<fn>/drain`) through pg_net, with the
 * secret key in the apikey header (the stage functions run with verify_jwt = false and check it
 * themselves). Both values come from Vault; a missing one fails the cron run with a message naming it.
 */
create function stratos.invoke_function(function_path text, payload jsonb default '{}'::jsonb) returns bigint
language plpgsql set search_path = '' as $$
declare
  project_url text;
  secret_key text;
begin
  select decrypted_secret into project_url from vault.decrypted_secrets where name = 'stratos_project_url';
  select decrypted_secret into secret_key from vault.decrypted_secrets where name = 'stratos_secret_key';
  if project_url is null or secret_key is null then
    raise exception 'Vault secrets stratos_project_url and stratos_secret_key are needed to call %', function_path;
  end if;
  return net.http_post(
    url := rtrim(project_url, '/') || '/functions/v1/' || function_path,
    body := payload,
    headers := jsonb_build_object('Content-Type', 'application/json', 'apikey', secret_key),
    -- pg_net sends after commit and waits in the background; a stage call plans a run and drains for
    -- its budget, far below this.
    timeout_milliseconds := 60000
  );
end
$$;

/**
 * Runs one schedule now, as its pg_cron job does: 'pipeline' starts ingest (chained through review)
 * for each of its universes, 'drain' lets a stage function work the queue, 'watchdog' and 'cleanup'
 * run their SQL here. Records last_run_at and returns what it did.
 */
create function stratos.run_schedule(schedule_id text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  s public.pipeline_schedules;
  universe text;
  requests bigint[] := '{}';
  result jsonb;
begin
  select * into s from public.pipeline_schedules where id = schedule_id;
  if not found then
    raise exception 'no schedule "%"', schedule_id;
  end if;
  case s.action
    when 'pipeline' then
      foreach universe in array s.universes loop
        requests := requests || stratos.invoke_function(
          'ingest-ohlcv', jsonb_build_object('universe', universe, 'chain', true)
        );
      end loop;
      result := jsonb_build_object('requests', to_jsonb(requests));
    when 'drain' then
      result := jsonb_build_object('requests', jsonb_build_array(stratos.invoke_function('ingest-ohlcv/drain')));
    when 'watchdog' then
      result := stratos.run_watchdog();
    when 'cleanup' then
      result := stratos.run_cleanup();
  end case;
  update public.pipeline_schedules set last_run_at = now() where id = schedule_id;
  return result;
end
$$;

/**
 * Makes pg_cron's stratos_* jobs equal the enabled schedules: schedules (or updates) one job per
 * enabled row and unschedules the rest. Returns the number of jobs, 0 where pg_cron is absent.
 */
create function stratos.sync_cron_jobs() returns integer
language plpgsql set search_path = '' as $$
declare
  job record;
  s record;
  scheduled integer := 0;
begin
  if to_regclass('cron.job') is null then
    return 0;
  end if;
  for job in
    select jobname from cron.job
    where jobname like 'stratos\_%'
      and jobname not in (select 'stratos_' || id from public.pipeline_schedules where enabled)
  loop
    perform cron.unschedule(job.jobname);
  end loop;
  for s in select id, cron from public.pipeline_schedules where enabled order by id loop
    -- cron.schedule with an existing name updates that job; it also rejects an invalid expression,
    -- which aborts the statement that changed the schedule.
    perform cron.schedule('stratos_' || s.id, s.cron, format('select stratos.run_schedule(%L)', s.id));
    scheduled := scheduled + 1;
  end loop;
  return scheduled;
end
$$;

/**
 * Trigger: re-syncs pg_cron after any change to pipeline_schedules that affects the jobs. Security
 * definer, because an admin editing schedules through the Data API has no rights on cron itself; the
 * jobs are created as this function's owner, who then runs them.
 */
create function stratos.sync_cron_jobs_trigger() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform stratos.sync_cron_jobs();
  return null;
end
$$;

revoke all on all functions in schema stratos from public;

insert into public.pipeline_schedules (id, description, cron, action) values
  ('watchdog', 'Fail runs stuck past their deadline and re-queue jobs whose lease expired', '*/5 * * * *', 'watchdog'),
  ('cleanup', 'Delete finished runs and their jobs, and pg_cron run history, older than 30 days', '45 3 * * *', 'cleanup')
on conflict (id) do nothing;

select stratos.sync_cron_jobs();

create trigger pipeline_schedules_sync_cron
  after insert or delete or update of id, cron, enabled or truncate on public.pipeline_schedules
  for each statement execute function stratos.sync_cron_jobs_trigger();
