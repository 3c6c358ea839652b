-- Core market data: assets, universes, bars, features, signal templates and facts, AI reviews.
-- Primary keys are the idempotency keys of the stages that write each table.

create table public.assets (
  id bigint generated always as identity primary key,
  symbol text not null,
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  name text,
  exchange text,
  sector text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (asset_type, symbol),
  check (symbol <> '' and symbol = upper(symbol))
);

create table public.universes (
  id text primary key check (id ~ '^[a-z0-9_]+$'),
  name text not null,
  description text not null default '',
  asset_type text not null check (asset_type in ('crypto', 'equity')),
  -- null: every active asset of the type; otherwise the listed symbols.
  symbols text[],
  created_at timestamptz not null default now()
);

create table public.daily_bars (
  asset_id bigint not null references public.assets (id) on delete cascade,
  date date not null,
  open double precision not null,
  high double precision not null,
  low double precision not null,
  close double precision not null,
  volume double precision not null,
  source text not null,
  ingested_at timestamptz not null default now(),
  primary key (asset_id, date),
  constraint daily_bars_prices_positive check (open > 0 and high > 0 and low > 0 and close > 0),
  constraint daily_bars_volume_nonnegative check (volume >= 0),
  constraint daily_bars_ohlc_consistent check (
    high >= low and high >= open and high >= close and low <= open and low <= close
  )
);
create index daily_bars_date_idx on public.daily_bars (date);

-- Input rows that failed validation, kept with the reason instead of being dropped silently.
create table public.rejected_bars (
  id bigint generated always as identity primary key,
  source text not null,
  symbol text,
  asset_type text,
  date text,
  raw jsonb not null,
  reason text not null,
  rejected_at timestamptz not null default now()
);
create index rejected_bars_rejected_at_idx on public.rejected_bars (rejected_at desc);

-- One column per catalogue feature (shared/features/catalogue.ts); null inside an indicator's lookback.
create table public.daily_features (
  asset_id bigint not null references public.assets (id) on delete cascade,
  date date not null,
  ret_1 double precision,
  ret_5 double precision,
  ret_20 double precision,
  ret_60 double precision,
  log_ret_1 double precision,
  sma_20 double precision,
  sma_50 double precision,
  sma_200 double precision,
  ema_20 double precision,
  ema_50 double precision,
  ema_200 double precision,
  dist_sma_20 double precision,
  dist_sma_50 double precision,
  dist_sma_200 double precision,
  rsi_14 double precision,
  macd double precision,
  macd_signal double precision,
  macd_hist double precision,
  atr_14 double precision,
  natr_14 double precision,
  bb_upper_20 double precision,
  bb_middle_20 double precision,
  bb_lower_20 double precision,
  bb_pctb_20 double precision,
  bb_width_20 double precision,
  adx_14 double precision,
  plus_di_14 double precision,
  minus_di_14 double precision,
  stoch_k_14 double precision,
  stoch_d_14 double precision,
  cci_20 double precision,
  willr_14 double precision,
  mfi_14 double precision,
  roc_10 double precision,
  aroon_up_25 double precision,
  aroon_down_25 double precision,
  obv double precision,
  rvol_20 double precision,
  dollar_vol_20 double precision,
  prior_high_20 double precision,
  prior_low_20 double precision,
  dist_high_252 double precision,
  dist_low_252 double precision,
  vol_20 double precision,
  computed_at timestamptz not null default now(),
  primary key (asset_id, date)
);
create index daily_features_date_idx on public.daily_features (date);

create table public.signal_templates (
  id text not null check (id ~ '^[a-z0-9_]+$'),
  version integer not null check (version > 0),
  name text not null,
  description text not null,
  direction text not null check (direction in ('bullish', 'bearish', 'neutral')),
  definition jsonb not null,
  enabled boolean not null default true,
  builtin boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (id, version)
);

create table public.daily_signal_facts (
  asset_id bigint not null references public.assets (id) on delete cascade,
  date date not null,
  template text not null,
  template_version integer not null,
  direction text not null check (direction in ('bullish', 'bearish', 'neutral')),
  strength double precision not null check (strength between 0 and 100),
  evidence jsonb not null,
  created_at timestamptz not null default now(),
  primary key (asset_id, date, template),
  foreign key (template, template_version) references public.signal_templates (id, version)
);
create index daily_signal_facts_date_idx on public.daily_signal_facts (date, template);

create table public.asset_ai_reviews (
  asset_id bigint not null references public.assets (id) on delete cascade,
  as_of_date date not null,
  model text not null,
  prompt_version text not null,
  status text not null check (status in ('valid', 'invalid')),
  direction text check (direction in ('bullish', 'bearish', 'neutral')),
  attention_score double precision check (attention_score between 0 and 100),
  confidence double precision check (confidence between 0 and 1),
  setup_type text,
  summary text,
  review jsonb not null,
  input_hash text not null,
  tokens_in integer not null default 0,
  tokens_out integer not null default 0,
  latency_ms integer not null default 0,
  attempts integer not null default 1,
  created_at timestamptz not null default now(),
  primary key (asset_id, as_of_date, model, prompt_version)
);
create index asset_ai_reviews_date_idx on public.asset_ai_reviews (as_of_date, attention_score desc);
