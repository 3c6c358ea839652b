-- The weekday run of the weekly search (issue #16): after each equity close, the week's selected group
-- applied to that day (the intersection of its variations' picks) gives tomorrow's candidates, ranked by
-- a short-lookback sanity score, cut to a shortlist, re-ranked by news, and the top few are the picks a
-- weekday paper portfolio buys at the next open and leaves by the day-trading exits.

-- One row per close: what was run and why it stopped where it did (no selected group, no candidates).
create table public.search_weekday_runs (
  as_of_date date primary key,
  status text not null check (status in ('picked', 'no_group', 'no_candidates')),
  -- The selected group traded: the latest selection of a week before as_of_date's week (null: none).
  group_week date,
  group_run_id bigint,
  group_key text,
  variations jsonb not null default '[]'::jsonb,
  universe integer not null check (universe >= 0),
  candidates integer not null check (candidates >= 0),
  shortlist_size integer not null check (shortlist_size > 0),
  top_n integer not null check (top_n > 0),
  scorer_version text,
  -- The next session's trade as a strategy spec, stepped through the engine by the paper portfolio.
  trade_spec jsonb not null,
  reason text not null,
  created_at timestamptz not null default now()
);

-- Every candidate of a close with the numbers of each step and the reason it stopped (or was picked).
create table public.search_weekday_candidates (
  as_of_date date not null references public.search_weekday_runs (as_of_date) on delete cascade,
  asset_id bigint not null references public.assets (id) on delete cascade,
  symbol text not null,
  ret_5 double precision not null,
  vol_20 double precision,
  sanity_score double precision,
  sanity_rank integer not null check (sanity_rank > 0),
  shortlist_rank integer check (shortlist_rank > 0),
  news_score double precision,
  article_count integer not null default 0 check (article_count >= 0),
  pick_rank integer check (pick_rank > 0),
  reason text not null,
  primary key (as_of_date, asset_id),
  check (pick_rank is null or shortlist_rank is not null)
);
create index search_weekday_candidates_rank_idx on public.search_weekday_candidates (as_of_date, sanity_rank);

-- A weekday portfolio trades those picks through the portfolio ledger (no strategy row, no rebalance rule).
alter table public.portfolios drop constraint portfolios_kind_check;
alter table public.portfolios add constraint portfolios_kind_check
  check (kind in ('strategy', 'rebalance', 'weekday'));

-- Row-level security as in 20261207000700: readers read, only the service role writes.
alter table public.search_weekday_runs enable row level security;
alter table public.search_weekday_candidates enable row level security;
revoke all on public.search_weekday_runs, public.search_weekday_candidates from anon, authenticated;
grant select on public.search_weekday_runs, public.search_weekday_candidates to anon, authenticated;
grant all on public.search_weekday_runs, public.search_weekday_candidates to service_role;
create policy "readers read weekday runs" on public.search_weekday_runs for select to anon, authenticated using (true);
create policy "readers read weekday candidates" on public.search_weekday_candidates for select to anon, authenticated using (true);
