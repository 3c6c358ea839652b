-- pg_cron follows pipeline_schedules, and a job's command calls the functions the way Supabase
-- documents: net.http_post to <project_url>/functions/v1/<function> with the secret key from Vault
-- (supabase/migrations/20261122000900_cron_schedules.sql). net.http_post is the recording stand-in
-- (scripts/pg15/supabase-standins.sql); calls are matched on this transaction, since pg_cron's own
-- runs of the seeded jobs record theirs concurrently.
begin;
set local search_path = public, extensions;

select plan(30);

create function pg_temp.job(schedule_id text) returns cron.job
language sql as $$
  select * from cron.job where jobname = 'stratos_' || schedule_id
$$;

create function pg_temp.command(schedule_id text) returns text
language sql as $$
  select command from cron.job where jobname = 'stratos_' || schedule_id
$$;

create function pg_temp.calls() returns setof net.http_post_calls
language sql as $$
  select * from net.http_post_calls where xact = txid_current() order by id
$$;

select ok(exists (select 1 from pg_extension where extname = 'pg_cron'), 'pg_cron is installed by the migration');

-- The seeded schedules, one job each, named stratos_<id>, calling stratos.run_schedule.
select set_eq(
  $$select jobname::text as jobname, schedule, command, active from cron.job where jobname like 'stratos\_%'$$,
  $$select 'stratos_' || id as jobname, cron as schedule, format('select stratos.run_schedule(%L)', id) as command,
      true as active
    from pipeline_schedules where enabled$$,
  'every enabled schedule has exactly one pg_cron job with its cron and command'
);
select set_eq(
  $$select id from pipeline_schedules$$,
  $$values ('daily_equity'), ('daily_crypto'), ('queue_drain'), ('watchdog'), ('cleanup'), ('lifecycle')$$,
  'the default schedules include the watchdog and the cleanup'
);
select is(
  (select cron from pipeline_schedules where id = 'watchdog'), '*/5 * * * *', 'the watchdog runs every 5 minutes'
);
select matches(
  (select cron from pipeline_schedules where id = 'cleanup'), '^\d+ \d+ \* \* \*$', 'the cleanup runs daily'
);

-- Insert, edit, disable, enable, delete.
insert into pipeline_schedules (id, description, cron, action, universes)
  values ('nightly_test', 'test', '0 1 * * *', 'pipeline', '{crypto_all}');
select is((pg_temp.job('nightly_test')).schedule, '0 1 * * *', 'inserting a schedule creates its job');
select is(
  pg_temp.command('nightly_test'), $$select stratos.run_schedule('nightly_test')$$, 'the job runs its schedule'
);

create temp table before_edit as select jobid from cron.job where jobname = 'stratos_nightly_test';
update pipeline_schedules set cron = '30 2 * * 1-5' where id = 'nightly_test';
select is((pg_temp.job('nightly_test')).schedule, '30 2 * * 1-5', 'editing the cron updates the job');
select is(
  (pg_temp.job('nightly_test')).jobid, (select jobid from before_edit), 'the job is updated in place, not recreated'
);

update pipeline_schedules set enabled = false where id = 'nightly_test';
select ok(pg_temp.job('nightly_test') is null, 'disabling a schedule removes its job');
update pipeline_schedules set enabled = true where id = 'nightly_test';
select is((pg_temp.job('nightly_test')).schedule, '30 2 * * 1-5', 'enabling it again recreates the job');

delete from pipeline_schedules where id = 'nightly_test';
select ok(pg_temp.job('nightly_test') is null, 'deleting a schedule removes its job');

select throws_ok(
  $$update pipeline_schedules set cron = 'every day' where id = 'daily_crypto'$$,
  '22023',
  'invalid schedule: every day',
  'pg_cron rejects an invalid cron, and the edit with it'
);
select is((pg_temp.job('daily_crypto')).schedule, '15 0 * * *', 'the job keeps its cron after a rejected edit');

-- An admin editing through the Data API (RLS) moves pg_cron too, though the role has no rights on cron.
set local role authenticated;
set local request.jwt.claims = '{"role": "authenticated", "app_metadata": {"role": "admin"}}';
update pipeline_schedules set cron = '*/2 * * * *' where id = 'queue_drain';
reset role;
select is((pg_temp.job('queue_drain')).schedule, '*/2 * * * *', 'an admin''s edit through RLS updates the job');
select is((pg_temp.job('queue_drain')).username, 'postgres'::text, 'the job still runs as the owner');

-- The commands. Without the Vault secrets a run fails and says which are missing.
delete from vault.secrets where name in ('stratos_project_url', 'stratos_secret_key');
select throws_like(
  pg_temp.command('daily_equity'),
  '%stratos_project_url and stratos_secret_key%',
  'a job fails with the names of the missing Vault secrets'
);

do $$
begin
  perform vault.create_secret('https://abcdefgh.supabase.co/', 'stratos_project_url');
  perform vault.create_secret('sb_secret_test_only', 'stratos_secret_key');
end
$$;

select lives_ok(pg_temp.command('daily_equity'), 'the daily equity job runs');
select results_eq(
  $$select url, body, headers from pg_temp.calls()$$,
  $$values (
    'https://abcdefgh.supabase.co/functions/v1/ingest-ohlcv',
    '{"universe": "equity_all", "chain": true}'::jsonb,
    '{"Content-Type": "application/json", "apikey": "sb_secret_test_only"}'::jsonb
  )$$,
  'a pipeline job POSTs {universe, chain} to ingest-ohlcv with the secret key in the apikey header'
);
select isnt((select last_run_at from pipeline_schedules where id = 'daily_equity'), null, 'the run is recorded');

update pipeline_schedules set universes = '{crypto_all,equity_all}' where id = 'daily_equity';
delete from net.http_post_calls where xact = txid_current();
select lives_ok(pg_temp.command('daily_equity'), 'a job reads its schedule''s universes when it runs');
select results_eq(
  $$select body ->> 'universe' from pg_temp.calls()$$,
  $$values ('crypto_all'), ('equity_all')$$,
  'one call per universe, in order'
);

delete from net.http_post_calls where xact = txid_current();
select lives_ok(pg_temp.command('queue_drain'), 'the drain job runs');
select results_eq(
  $$select url, headers ->> 'apikey' from pg_temp.calls()$$,
  $$values ('https://abcdefgh.supabase.co/functions/v1/ingest-ohlcv/drain', 'sb_secret_test_only')$$,
  'the drain job POSTs to a stage function''s /drain'
);

delete from net.http_post_calls where xact = txid_current();
select lives_ok(pg_temp.command('watchdog'), 'the watchdog job runs');
select lives_ok(pg_temp.command('cleanup'), 'the cleanup job runs');
select is_empty($$select * from pg_temp.calls()$$, 'watchdog and cleanup run SQL, no HTTP');

-- The strategy lifecycle (migration 20261209000700): hourly, calling the lifecycle function.
select is((pg_temp.job('lifecycle')).schedule, '7 * * * *', 'the lifecycle job runs hourly');
select lives_ok(pg_temp.command('lifecycle'), 'the lifecycle job runs');
select results_eq(
  $$select url, body, headers ->> 'apikey' from pg_temp.calls()$$,
  $$values ('https://abcdefgh.supabase.co/functions/v1/lifecycle', '{}'::jsonb, 'sb_secret_test_only')$$,
  'the lifecycle job POSTs {} to the lifecycle function with the secret key'
);

select * from finish();
rollback;
