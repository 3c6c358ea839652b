-- Portfolios and their ledger (issue #15).
--
-- portfolios: a strategy (id + version, stepped one day at a time by the engine, its state in
-- engine_state) or a rebalance rule (rule jsonb, orders through a broker whose paper state is
-- broker_state), a broker, starting cash, costs, and the mode: paper unless live was approved by an
-- admin for this portfolio (live_approved_at) and the server allows it (STRATOS_LIVE_TRADING=enabled,
-- checked by the code). Every other table is keyed by the portfolio and a natural key, so a trade run
-- redone converges to the same rows.
create table public.portfolios (
  id text primary key check (id ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$'),
  name text not null,
  kind text not null check (kind in ('strategy', 'rebalance')),
  strategy_id text,
  strategy_version integer,
  rule jsonb,
  universe text not null references public.universes (id),
  broker text not null default 'paper',
  mode text not null default 'paper' check (mode in ('paper', 'live')),
  live_approved_by text,
  live_approved_at timestamptz,
  starting_cash double precision not null check (starting_cash > 0),
  -- fee_rate, fee_fixed, slippage_rate (rebalance portfolios; a strategy's own costs apply to it).
  costs jsonb not null default '{"fee_rate": 0, "fee_fixed": 0, "slippage_rate": 0}'::jsonb,
  start_date date not null,
  trading_enabled boolean not null default true,
  cash double precision not null,
  engine_state jsonb,
  broker_state jsonb,
  -- The last trading day the ledger holds (fills, marks, equity).
  last_date date,
  created_at timestamptz not null default now(),
  foreign key (strategy_id, strategy_version) references public.strategies (id, version),
  check ((kind = 'strategy') = (strategy_id is not null and strategy_version is not null)),
  check ((kind = 'rebalance') = (rule is not null)),
  check (mode = 'paper' or live_approved_at is not null)
);

-- Orders by their idempotent client order id (unique across portfolios: brokers key by it).
create table public.portfolio_orders (
  portfolio_id text not null references public.portfolios (id) on delete cascade,
  client_order_id text not null unique,
  date date not null,
  symbol text not null,
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  side text not null check (side in ('buy', 'sell')),
  qty double precision not null check (qty > 0),
  type text not null,
  limit_price double precision,
  status text not null,
  filled_qty double precision not null default 0 check (filled_qty >= 0),
  avg_price double precision,
  broker_order_id text,
  -- The rule that made the order (a strategy rule, `rebalance`, ...).
  rule text not null,
  error text,
  updated_at timestamptz not null default now(),
  primary key (portfolio_id, client_order_id)
);
create index portfolio_orders_date_idx on public.portfolio_orders (portfolio_id, date desc);

create table public.portfolio_fills (
  portfolio_id text not null references public.portfolios (id) on delete cascade,
  seq integer not null check (seq >= 0),
  client_order_id text,
  date date not null,
  symbol text not null,
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  side text not null check (side in ('buy', 'sell')),
  qty double precision not null check (qty > 0),
  price double precision not null check (price > 0),
  fee double precision not null check (fee >= 0),
  rule text not null,
  note text,
  -- The bar the fill was priced on, so a later revision of that bar is visible in a reconciliation.
  bar_low double precision not null,
  bar_high double precision not null,
  primary key (portfolio_id, seq)
);
create index portfolio_fills_date_idx on public.portfolio_fills (portfolio_id, date);

create table public.portfolio_positions (
  portfolio_id text not null references public.portfolios (id) on delete cascade,
  symbol text not null,
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  qty double precision not null,
  avg_price double precision not null,
  mark double precision not null check (mark > 0),
  primary key (portfolio_id, asset_type, symbol)
);

-- Daily equity at the close: cash + sum(qty x mark), with the benchmark's close and the same strategy's
-- backtest equity over the same days when known.
create table public.portfolio_equity (
  portfolio_id text not null references public.portfolios (id) on delete cascade,
  date date not null,
  cash double precision not null,
  positions_value double precision not null,
  equity double precision not null,
  benchmark_close double precision,
  primary key (portfolio_id, date)
);

-- Every BUY / SELL / HOLD the trade run decided (or refused), with the number or rule that made it.
create table public.portfolio_decisions (
  portfolio_id text not null references public.portfolios (id) on delete cascade,
  date date not null,
  symbol text not null,
  action text not null check (action in ('BUY', 'SELL', 'HOLD', 'REFUSED')),
  qty double precision not null default 0,
  target_weight double precision,
  current_weight double precision,
  score double precision,
  rule text not null,
  reason text not null,
  primary key (portfolio_id, date, symbol, action)
);

-- Protections as locks with an expiry (stop-loss guard, max drawdown, cooldown); symbol null locks all.
create table public.portfolio_locks (
  portfolio_id text not null references public.portfolios (id) on delete cascade,
  rule text not null,
  symbol text not null default '*',
  from_date date not null,
  until_date date not null check (until_date >= from_date),
  reason text not null,
  primary key (portfolio_id, rule, symbol, from_date)
);

-- The kill switch: one row. While engaged no portfolio trades; engaging it cancels open orders.
create table public.trading_switch (
  id boolean primary key default true check (id),
  killed boolean not null default false,
  reason text,
  changed_by text,
  changed_at timestamptz not null default now()
);
insert into public.trading_switch (id, killed) values (true, false);

-- Row-level security as in 20261207000700: readers read, only the service role (and the owner the
-- functions connect as) writes; control-api enforces admin for every portfolio write.
alter table public.portfolios enable row level security;
alter table public.portfolio_orders enable row level security;
alter table public.portfolio_fills enable row level security;
alter table public.portfolio_positions enable row level security;
alter table public.portfolio_equity enable row level security;
alter table public.portfolio_decisions enable row level security;
alter table public.portfolio_locks enable row level security;
alter table public.trading_switch enable row level security;
revoke all on public.portfolios, public.portfolio_orders, public.portfolio_fills, public.portfolio_positions,
  public.portfolio_equity, public.portfolio_decisions, public.portfolio_locks, public.trading_switch
  from anon, authenticated;
grant select on public.portfolios, public.portfolio_orders, public.portfolio_fills, public.portfolio_positions,
  public.portfolio_equity, public.portfolio_decisions, public.portfolio_locks, public.trading_switch
  to anon, authenticated;
grant all on public.portfolios, public.portfolio_orders, public.portfolio_fills, public.portfolio_positions,
  public.portfolio_equity, public.portfolio_decisions, public.portfolio_locks, public.trading_switch
  to service_role;
create policy "readers read portfolios" on public.portfolios for select to anon, authenticated using (true);
create policy "readers read portfolio orders" on public.portfolio_orders for select to anon, authenticated using (true);
create policy "readers read portfolio fills" on public.portfolio_fills for select to anon, authenticated using (true);
create policy "readers read portfolio positions" on public.portfolio_positions for select to anon, authenticated using (true);
create policy "readers read portfolio equity" on public.portfolio_equity for select to anon, authenticated using (true);
create policy "readers read portfolio decisions" on public.portfolio_decisions for select to anon, authenticated using (true);
create policy "readers read portfolio locks" on public.portfolio_locks for select to anon, authenticated using (true);
create policy "readers read the trading switch" on public.trading_switch for select to anon, authenticated using (true);
