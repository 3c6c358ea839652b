-- A symbol that one provider failed on and a later provider served keeps a 'fallback' note in the
-- run's asset errors (which providers failed, why, whether retrying could help, who served it). The
-- run's data is complete, so a note does not make the run partial; an 'error' (no provider served
-- the symbol) does.
alter table public.pipeline_asset_errors
  add column kind text not null default 'error' check (kind in ('error', 'fallback'));
