-- The learning loop (issue #17): the experience buffer, the rules attribution proposes, and the shadow
-- strategies' ghost trades. Keys make every rerun converge: an event by its key, a rule by its setup and
-- conditions, a ghost by its shadow and trade.

-- Every entry and exit with its market snapshot; kept to the latest N (shared/learning/store.ts).
create table public.learning_experiences (
  id bigint generated always as identity primary key,
  event_key text not null unique,
  trade_key text not null,
  kind text not null check (kind in ('entry', 'exit')),
  source text not null check (source in ('paper', 'live')),
  setup text not null,
  symbol text not null,
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  side text not null check (side in ('long', 'short')),
  at timestamptz not null,
  price double precision not null check (price > 0),
  pnl double precision,
  outcome text check (outcome in ('win', 'loss', 'stop')),
  exit_reason text,
  snapshot jsonb not null default '{}',
  recorded_at timestamptz not null default now(),
  -- An exit carries how the trade ended; an entry carries nothing of it.
  check ((kind = 'exit') = (pnl is not null and outcome is not null))
);
create index learning_experiences_trade_idx on public.learning_experiences (trade_key, kind);

-- Filter rules: proposed by attribution with their evidence, activated or retired by an admin.
create table public.learning_rules (
  id bigint generated always as identity primary key,
  setup text not null,
  conditions jsonb not null,
  conditions_key text not null,
  status text not null default 'proposed' check (status in ('proposed', 'active', 'retired')),
  support integer not null check (support >= 0),
  successes integer not null check (successes >= 0),
  success_rate double precision,
  base_rate double precision,
  lift double precision,
  evidence_at timestamptz not null,
  proposed_at timestamptz not null default now(),
  decided_at timestamptz,
  decided_by text,
  reason text,
  unique (setup, conditions_key)
);

-- Ghost trades of the shadow exits on the same entries as live trades; the latest 1,000 per shadow.
create table public.learning_ghost_trades (
  shadow text not null check (shadow in ('tighter', 'wider', 'scalp')),
  trade_key text not null,
  setup text not null,
  symbol text not null,
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  side text not null check (side in ('long', 'short')),
  entry_at timestamptz not null,
  entry_price double precision not null check (entry_price > 0),
  exit_at timestamptz not null,
  exit_price double precision not null check (exit_price > 0),
  pnl double precision not null,
  exit_reason text not null check (exit_reason in ('stop', 'target', 'time')),
  -- The live exits' return on the same trade, before costs like the ghost's.
  live_pnl double precision not null,
  primary key (shadow, trade_key)
);
create index learning_ghost_trades_entry_idx on public.learning_ghost_trades (shadow, entry_at desc);

-- Row-level security as in 20261207000700: readers read, only the service role writes; control-api
-- enforces admin for activating a rule.
alter table public.learning_experiences enable row level security;
alter table public.learning_rules enable row level security;
alter table public.learning_ghost_trades enable row level security;
revoke all on public.learning_experiences, public.learning_rules, public.learning_ghost_trades
  from anon, authenticated;
grant select on public.learning_experiences, public.learning_rules, public.learning_ghost_trades
  to anon, authenticated;
grant all on public.learning_experiences, public.learning_rules, public.learning_ghost_trades to service_role;
create policy "readers read experiences" on public.learning_experiences for select to anon, authenticated using (true);
create policy "readers read learned rules" on public.learning_rules for select to anon, authenticated using (true);
create policy "readers read ghost trades" on public.learning_ghost_trades for select to anon, authenticated using (true);
