-- Supabase Realtime: the dashboard's live run and lifecycle updates need these tables in the publication.
begin;
set local search_path = public, extensions;

select plan(5);

select ok(
  exists (select 1 from pg_publication_tables
          where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'pipeline_runs'),
  'pipeline_runs is published to Realtime'
);
select ok(
  exists (select 1 from pg_publication_tables
          where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'pipeline_jobs'),
  'pipeline_jobs is published to Realtime'
);
-- The Strategies board follows the lifecycle's moves.
select ok(
  exists (select 1 from pg_publication_tables
          where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'strategy_lifecycle'),
  'strategy_lifecycle is published to Realtime'
);
select ok(
  exists (select 1 from pg_publication_tables
          where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'strategy_transitions'),
  'strategy_transitions is published to Realtime'
);
select is(
  (select count(*)::int from pg_publication_tables where pubname = 'supabase_realtime'),
  4,
  'nothing else is published'
);

select * from finish();
rollback;
