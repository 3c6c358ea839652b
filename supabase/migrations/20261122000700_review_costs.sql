-- Review costs and budgets. Every review records what it cost; a run's spend lives in its summary
-- (tokens_in, tokens_out, cost_usd, incremented atomically per call), so all workers of a run check
-- one budget. Candidates the run could not afford are listed here, neither reviewed nor failed.

-- USD at the model's price when reviewed; null when the model has no known price.
alter table public.asset_ai_reviews add column cost_usd numeric check (cost_usd >= 0);
-- Reviews without tokens (the rules reviewer) cost nothing.
update public.asset_ai_reviews set cost_usd = 0 where tokens_in = 0 and tokens_out = 0;

-- Review candidates left unreviewed because the run's budget ran out (the run ends partial). A rerun of
-- the review stage with more budget reviews them; the ones already reviewed come from the cache.
create table public.review_pending (
  run_id bigint not null references public.pipeline_runs (id) on delete cascade,
  asset_id bigint not null references public.assets (id) on delete cascade,
  reason text not null,
  created_at timestamptz not null default now(),
  primary key (run_id, asset_id)
);
