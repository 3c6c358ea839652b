-- The dashboard follows runs live through Supabase Realtime (postgres_changes on pipeline_runs and
-- pipeline_jobs; readers may select both under RLS). Without the publication (a plain Postgres
-- without the bootstrap) there is nothing to stream to, so nothing is done.
do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    alter publication supabase_realtime add table public.pipeline_runs, public.pipeline_jobs;
  end if;
end
$$;
