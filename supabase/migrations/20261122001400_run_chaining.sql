-- When a run's follow-up (afterRun, then starting the next stage) is done. A worker that dies after a
-- run is marked finished but before it chains leaves chained_at null; the next idle drain finds such
-- runs and does the follow-up (shared/pipeline/queue.ts finalizeOrphanedRuns).
alter table public.pipeline_runs add column chained_at timestamptz;
update public.pipeline_runs set chained_at = finished_at where finished_at is not null;
create index pipeline_runs_unchained_idx on public.pipeline_runs (finished_at)
  where chained_at is null and status in ('succeeded', 'partial');

/** Reopening a run (rerun, retry) means its follow-up is due again when it finishes. */
create function stratos.reset_run_chained() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.chained_at := null;
  return new;
end
$$;

create trigger pipeline_runs_chained_on_reopen
  before update of status on public.pipeline_runs
  for each row when (new.status = 'running' and old.status <> 'running')
  execute function stratos.reset_run_chained();

-- Internal, like every stratos function: only the owner (and the trigger) runs it.
revoke all on function stratos.reset_run_chained() from public;
