-- The watchdog and the cleanup (supabase/migrations/20261122000900_cron_schedules.sql): what they
-- change and, as much, what they leave alone.
begin;
set local search_path = public, extensions;

select plan(23);

insert into universes (id, name, asset_type) values ('mt_u', 'maintenance', 'equity');
insert into assets (symbol, asset_type) values ('MTX', 'equity');

-- Deadlines: set on insert from stratos.run_max_duration (default 6 hours), reset on reopen.
insert into pipeline_runs (stage, run_date, universe) values ('ingest', '2026-01-05', 'mt_u');
select ok(
  (select deadline_at between now() + interval '6 hours' - interval '1 minute' and now() + interval '6 hours'
   from pipeline_runs where universe = 'mt_u' and run_date = '2026-01-05'),
  'a new run gets a deadline 6 hours ahead'
);
set local stratos.run_max_duration = '2 hours';
update pipeline_runs set status = 'succeeded', deadline_at = now() where universe = 'mt_u';
update pipeline_runs set status = 'running' where universe = 'mt_u';
select is(
  (select deadline_at from pipeline_runs where universe = 'mt_u' and run_date = '2026-01-05'),
  now() + interval '2 hours',
  'reopening a run (rerun, retry) sets a fresh deadline from stratos.run_max_duration'
);
reset stratos.run_max_duration;

-- A stuck run past its deadline with a queued job, a job whose worker died, a job whose worker is
-- alive, and a finished job; and a healthy run with a dead worker's job.
insert into pipeline_runs (stage, run_date, universe, deadline_at) values
  ('ingest', '2026-01-06', 'mt_u', now() - interval '1 minute'),
  ('ingest', '2026-01-07', 'mt_u', now() + interval '1 hour');
insert into pipeline_jobs (run_id, chunk, payload, status, attempts, locked_by, locked_until)
select r.id, j.chunk, '{}', j.status, j.attempts, j.locked_by, now() + j.lease
from pipeline_runs r, (values
  ('2026-01-06'::date, 0, 'queued', 0, null, null::interval),
  ('2026-01-06', 1, 'running', 1, 'dead-worker', interval '-1 minute'),
  ('2026-01-06', 2, 'running', 1, 'live-worker', interval '1 minute'),
  ('2026-01-06', 3, 'done', 1, null, null),
  ('2026-01-07', 0, 'running', 1, 'dead-worker', interval '-1 minute'),
  ('2026-01-07', 1, 'running', 3, 'dead-worker', interval '-1 minute'),
  ('2026-01-07', 2, 'running', 1, 'live-worker', interval '1 minute')
) j (run_date, chunk, status, attempts, locked_by, lease)
where r.universe = 'mt_u' and r.run_date = j.run_date;

create temp table watchdog_result as select stratos.run_watchdog() as result;
select is(
  (select result from watchdog_result),
  '{"released_jobs": 2, "timed_out_runs": 1, "failed_jobs": 3}'::jsonb,
  'the watchdog reports what it did'
);
select results_eq(
  $$select status, summary ->> 'timed_out', summary ->> 'error' like 'timed out: still running at its deadline %',
      finished_at is not null
    from pipeline_runs where universe = 'mt_u' and run_date = '2026-01-06'$$,
  $$values ('failed', 'true', true, true)$$,
  'a run past its deadline is failed and marked timed out'
);
select results_eq(
  $$select j.chunk, j.status, j.locked_by, j.locked_until, j.last_error from pipeline_jobs j join pipeline_runs r on r.id = j.run_id
    where r.universe = 'mt_u' and r.run_date = '2026-01-06' order by chunk$$,
  $$values
    (0, 'failed', null::text, null::timestamptz, 'released by the watchdog: its run timed out'),
    (1, 'failed', null, null, 'released by the watchdog: its run timed out'),
    (2, 'failed', null, null, 'released by the watchdog: its run timed out'),
    (3, 'done', null, null, null)$$,
  'its open jobs are released and failed with the reason; finished jobs are kept'
);
select results_eq(
  $$select j.chunk, j.status, j.locked_by from pipeline_jobs j join pipeline_runs r on r.id = j.run_id
    where r.universe = 'mt_u' and r.run_date = '2026-01-07' order by chunk$$,
  $$values (0, 'queued', null::text), (1, 'running', 'dead-worker'), (2, 'running', 'live-worker')$$,
  'in a healthy run, an expired lease with attempts left goes back to the queue; the last attempt and live leases stay'
);
select is(
  (select status from pipeline_runs where universe = 'mt_u' and run_date = '2026-01-07'),
  'running',
  'a run within its deadline keeps running'
);
select is(
  stratos.run_watchdog(),
  '{"released_jobs": 0, "timed_out_runs": 0, "failed_jobs": 0}'::jsonb,
  'a second watchdog pass finds nothing to do'
);

-- A worker that still held a lease of the timed-out run cannot record its result afterwards (the
-- queue's own guarded update, shared/pipeline/queue.ts).
update pipeline_jobs j set status = 'done'
from pipeline_runs r
where r.id = j.run_id and r.run_date = '2026-01-06' and r.universe = 'mt_u'
  and j.chunk = 2 and j.locked_by = 'live-worker' and j.status = 'running';
select is(
  (select j.status from pipeline_jobs j join pipeline_runs r on r.id = j.run_id
   where r.universe = 'mt_u' and r.run_date = '2026-01-06' and j.chunk = 2),
  'failed',
  'a late result for a released job is not recorded'
);

-- A retry (control-api's POST /runs/:id/retry re-queues failed jobs and reopens the run) gets a fresh
-- deadline and loses the timed-out mark.
update pipeline_runs set status = 'running', finished_at = null, summary = summary - 'error'
where universe = 'mt_u' and run_date = '2026-01-06';
select results_eq(
  $$select summary ? 'timed_out', deadline_at > now() from pipeline_runs where universe = 'mt_u' and run_date = '2026-01-06'$$,
  $$values (false, true)$$,
  'a reopened run has a fresh deadline and no timed-out mark'
);
update pipeline_runs set status = 'failed', finished_at = now() where universe = 'mt_u' and run_date = '2026-01-06';

-- Cleanup: finished runs and their jobs older than 30 days go; running ones, recent ones, and the data stay.
insert into pipeline_runs (stage, run_date, universe, status, finished_at) values
  ('ingest', '2025-01-01', 'mt_u', 'succeeded', now() - interval '40 days'),
  ('features', '2025-01-01', 'mt_u', 'failed', now() - interval '31 days'),
  ('ingest', '2025-01-02', 'mt_u', 'succeeded', now() - interval '29 days'),
  ('signals', '2025-01-01', 'mt_u', 'running', null);
insert into pipeline_jobs (run_id, chunk, payload, status)
  select id, 0, '{}', 'done' from pipeline_runs where universe = 'mt_u' and run_date in ('2025-01-01', '2025-01-02');
insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
  select id, '2025-01-01', 1, 1, 1, 1, 1, 'test' from assets where symbol = 'MTX';
insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
  select a.id, '2025-01-01', t.id, t.version, t.direction, 50, '{}'
  from assets a, (select * from signal_templates limit 1) t where a.symbol = 'MTX';
insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
values
  (1, 1, current_database(), 'postgres', 'select 1', 'succeeded', 'old', now() - interval '31 days', now() - interval '31 days'),
  (1, 1, current_database(), 'postgres', 'select 1', 'succeeded', 'recent', now() - interval '1 day', now() - interval '1 day');

create temp table cleanup_result as select stratos.run_cleanup() as result;
select is(
  (select (result ->> 'deleted_runs')::int from cleanup_result), 2, 'cleanup deletes the two finished runs older than 30 days'
);
select is((select (result ->> 'deleted_jobs')::int from cleanup_result), 2, 'and their jobs');
select ok(
  (select (result ->> 'deleted_cron_run_details')::int >= 1 from cleanup_result),
  'and pg_cron run history older than 30 days'
);
select results_eq(
  $$select stage, status from pipeline_runs where universe = 'mt_u' and run_date in ('2025-01-01', '2025-01-02')
    order by stage, run_date$$,
  $$values ('ingest', 'succeeded'), ('signals', 'running')$$,
  'recent finished runs and running runs stay'
);
select is(
  (select count(*)::int from pipeline_jobs j join pipeline_runs r on r.id = j.run_id
   where r.universe = 'mt_u' and r.run_date in ('2025-01-01', '2025-01-02')),
  2,
  'their jobs stay'
);
select is_empty(
  $$select 1 from cron.job_run_details where end_time < now() - interval '30 days'$$,
  'no pg_cron history older than 30 days is left'
);
select isnt_empty(
  $$select 1 from cron.job_run_details where return_message = 'recent'$$,
  'recent pg_cron history stays'
);
select is(
  (select count(*)::int from daily_bars b join assets a on a.id = b.asset_id where a.symbol = 'MTX'),
  1,
  'bars are never cleaned up'
);
select is(
  (select count(*)::int from daily_signal_facts f join assets a on a.id = f.asset_id where a.symbol = 'MTX'),
  1,
  'signal facts are never cleaned up'
);

select is(
  (stratos.run_cleanup(interval '1 day') ->> 'deleted_runs')::int,
  1,
  'the retention is a parameter'
);
set local stratos.retention = '1 hour';
select is(
  (stratos.run_cleanup() ->> 'deleted_runs')::int,
  0,
  'or the stratos.retention setting (nothing older than an hour is left now)'
);

-- The schedules run these same functions.
select is(
  (select result ? 'timed_out_runs' from (select stratos.run_schedule('watchdog') as result) s),
  true,
  'the watchdog schedule runs the watchdog'
);
select is(
  (select result ? 'deleted_runs' from (select stratos.run_schedule('cleanup') as result) s),
  true,
  'the cleanup schedule runs the cleanup'
);

select * from finish();
rollback;
