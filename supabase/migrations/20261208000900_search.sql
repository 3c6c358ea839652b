-- The weekly strategy search (issue #16): one dataset snapshot per week, search runs over it, and the
-- trial ledger of every variation evaluated, which the deflated Sharpe ratio counts.

-- A week's snapshot: K sampled tickers × L bar dates, each price column K·L big-endian float8 values
-- (ticker-major), so a search loads it in one row. Past weeks are kept; one is marked current.
create table public.search_datasets (
  week date primary key check (extract(isodow from week) = 1),
  dates date[] not null,
  asset_ids bigint[] not null,
  symbols text[] not null,
  sample_seed integer not null,
  eligible integer not null check (eligible >= 0),
  screens jsonb not null,
  open bytea not null,
  high bytea not null,
  low bytea not null,
  close bytea not null,
  volume bytea not null,
  is_current boolean not null default false,
  created_at timestamptz not null default now(),
  check (cardinality(asset_ids) = cardinality(symbols)),
  check (octet_length(close) = 8 * cardinality(asset_ids) * cardinality(dates))
);
create unique index search_datasets_one_current on public.search_datasets (is_current) where is_current;

create table public.search_runs (
  id bigint generated always as identity primary key,
  week date not null references public.search_datasets (week) on delete cascade,
  seed integer not null,
  cycles_requested integer not null check (cycles_requested > 0),
  budget_s double precision check (budget_s > 0),
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  cycles_done integer not null default 0,
  trials integer not null default 0,
  stopped_by text check (stopped_by in ('cycles', 'budget', 'exhausted')),
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index search_runs_week_idx on public.search_runs (week, started_at desc);

-- Every variation a run evaluated, in order; (run, variation) is unique, as the sampler never repeats.
create table public.search_trials (
  run_id bigint not null references public.search_runs (id) on delete cascade,
  seq integer not null check (seq > 0),
  cycle integer not null check (cycle > 0),
  algorithm text not null,
  variation text not null,
  params jsonb not null,
  daily_returns double precision[] not null,
  buys integer[] not null,
  mean_return double precision not null,
  std_return double precision not null,
  sharpe double precision,
  positive_share double precision not null,
  total_buys integer not null,
  score double precision not null,
  primary key (run_id, seq),
  unique (run_id, variation)
);
create index search_trials_run_algorithm_idx on public.search_trials (run_id, algorithm, score desc);

-- Row-level security as in 20261207000700: readers read, only the service role writes.
alter table public.search_datasets enable row level security;
alter table public.search_runs enable row level security;
alter table public.search_trials enable row level security;
revoke all on public.search_datasets, public.search_runs, public.search_trials from anon, authenticated;
grant select on public.search_datasets, public.search_runs, public.search_trials to anon, authenticated;
grant all on public.search_datasets, public.search_runs, public.search_trials to service_role;
grant all on sequence public.search_runs_id_seq to service_role;
create policy "readers read search datasets" on public.search_datasets for select to anon, authenticated using (true);
create policy "readers read search runs" on public.search_runs for select to anon, authenticated using (true);
create policy "readers read search trials" on public.search_trials for select to anon, authenticated using (true);
