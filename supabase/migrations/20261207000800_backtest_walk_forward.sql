-- Walk-forward folds on stored backtests (issue #13).
--
-- walk_forward: the fold plan with its defaults filled in (mode, train, test, step, embargo), null for
-- a plain backtest; walk_forward_key is its canonical JSON ('' without), part of the backtest's
-- identity so the same request converges to the same row. folds: per fold its train and test date
-- ranges and metrics; oos: the chained test windows' summary and metrics.
alter table public.backtests
  add column walk_forward jsonb,
  add column walk_forward_key text not null default '',
  add column folds jsonb,
  add column oos jsonb;

-- The identity's unique constraint took Postgres' generated name; look it up rather than spell it.
do $$
declare
  name text;
begin
  select conname into name from pg_constraint
  where conrelid = 'public.backtests'::regclass and contype = 'u';
  execute format('alter table public.backtests drop constraint %I', name);
end $$;
alter table public.backtests add constraint backtests_identity_key unique
  (strategy_id, strategy_version, overrides_hash, universe, from_date, to_date, cash, data_fingerprint,
   walk_forward_key);
