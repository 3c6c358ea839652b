-- A rebalance's composite scores, stored with their components (issue #15): per portfolio, decision date
-- and symbol, the blended score (null when every component abstained), its rank among the day's scores,
-- and each normalised component that had an opinion (an abstaining one is absent, never 0). Written with
-- the day's ledger, so a rerun converges to the same rows.
create table public.portfolio_scores (
  portfolio_id text not null references public.portfolios (id) on delete cascade,
  date date not null,
  symbol text not null,
  score double precision,
  rank integer not null check (rank >= 1),
  components jsonb not null,
  primary key (portfolio_id, date, symbol)
);

-- Row-level security as in 20261208000600: readers read, only the service role writes.
alter table public.portfolio_scores enable row level security;
revoke all on public.portfolio_scores from anon, authenticated;
grant select on public.portfolio_scores to anon, authenticated;
grant all on public.portfolio_scores to service_role;
create policy "readers read portfolio scores" on public.portfolio_scores for select to anon, authenticated using (true);
