-- Strategies as data and stored backtests (issue #13).
--
-- strategies: a versioned JSON spec (shared/strategy/spec.ts), immutable per version like
-- signal_templates; `name` is its `<ASSET>_<TYPE>_<ID>` label (shared/strategy/naming.ts).
-- backtests: one row per (strategy version, overrides, universe, range, cash, data fingerprint), so
-- rerunning the same spec over the same data and range converges to the same rows; the queue's
-- `backtest` stage fills its trades, equity curve and metrics.
create table public.strategies (
  id text not null check (id ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$'),
  version integer not null check (version > 0),
  name text not null check (name ~ '^[A-Z0-9]+_[A-Z]+_[0-9A-Z]+(-[0-9]+)?$'),
  description text not null,
  spec jsonb not null,
  builtin boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (id, version)
);
create index strategies_name_idx on public.strategies (name);

create table public.backtests (
  id bigint generated always as identity primary key,
  strategy_id text not null,
  strategy_version integer not null,
  -- Built-in parameters (`--set key=value`) the spec was built with; hashed into the key.
  overrides jsonb not null default '{}'::jsonb,
  overrides_hash text not null,
  universe text not null references public.universes (id),
  from_date date not null,
  to_date date not null,
  cash double precision not null check (cash > 0),
  -- Digest of the bars in the universe and range when the backtest was planned.
  data_fingerprint text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  error text,
  run_id bigint references public.pipeline_runs (id) on delete set null,
  metrics jsonb,
  benchmark jsonb,
  -- ms spent loading the panel and simulating, and the panel's size.
  timings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  foreign key (strategy_id, strategy_version) references public.strategies (id, version),
  check (from_date <= to_date),
  unique (strategy_id, strategy_version, overrides_hash, universe, from_date, to_date, cash, data_fingerprint)
);
create index backtests_created_idx on public.backtests (created_at desc, id desc);

create table public.backtest_trades (
  backtest_id bigint not null references public.backtests (id) on delete cascade,
  seq integer not null,
  symbol text not null,
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  side text not null check (side in ('long', 'short')),
  entry_date date not null,
  exit_date date not null,
  qty double precision not null,
  entry_price double precision not null,
  exit_price double precision not null,
  pnl double precision not null,
  return_pct double precision not null,
  bars integer not null,
  entry_rule text not null,
  exit_rule text not null,
  primary key (backtest_id, seq)
);

create table public.backtest_equity (
  backtest_id bigint not null references public.backtests (id) on delete cascade,
  date date not null,
  equity double precision not null,
  -- Fall below the running peak, as a fraction (0 or negative).
  drawdown double precision not null,
  benchmark_equity double precision,
  primary key (backtest_id, date)
);

-- The backtest stage runs through the same queue: its runs are keyed by backtest, not by
-- (stage, date, universe), so many backtests of one universe and end date can coexist.
alter table public.pipeline_runs drop constraint pipeline_runs_stage_check;
alter table public.pipeline_runs add constraint pipeline_runs_stage_check
  check (stage in ('ingest', 'features', 'signals', 'review', 'backtest'));
alter table public.pipeline_runs drop constraint pipeline_runs_stage_run_date_universe_key;
create unique index pipeline_runs_stage_run_date_universe_key
  on public.pipeline_runs (stage, run_date, universe) where stage <> 'backtest';

-- Row-level security as in 20261122000800: readers read, only the service role (and the owner the
-- functions connect as) writes; control-api enforces admin for starting backtests and saving strategies.
alter table public.strategies enable row level security;
alter table public.backtests enable row level security;
alter table public.backtest_trades enable row level security;
alter table public.backtest_equity enable row level security;
revoke all on public.strategies, public.backtests, public.backtest_trades, public.backtest_equity
  from anon, authenticated;
grant select on public.strategies, public.backtests, public.backtest_trades, public.backtest_equity
  to anon, authenticated;
grant all on public.strategies, public.backtests, public.backtest_trades, public.backtest_equity
  to service_role;
grant all on sequence public.backtests_id_seq to service_role;
create policy "readers read strategies" on public.strategies for select to anon, authenticated using (true);
create policy "readers read backtests" on public.backtests for select to anon, authenticated using (true);
create policy "readers read backtest trades" on public.backtest_trades for select to anon, authenticated using (true);
create policy "readers read backtest equity" on public.backtest_equity for select to anon, authenticated using (true);
