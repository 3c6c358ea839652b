-- The daily opportunity pool as a universe rule (issue #15): rank_by 'opportunity_pool' holds the assets of
-- the type that, on the market's latest date, have |z-score| > 2 over their last 20 closes or volume at
-- least 15% above the mean of the 20 sessions before it, the top_n of them by |z-score|. The rule itself is
-- shared/portfolio/screener.ts, applied by resolveUniverse to each asset's last 21 bars.
alter table public.universes drop constraint universes_rank_by_check;
alter table public.universes
  add constraint universes_rank_by_check check (rank_by in ('dollar_vol_20', 'opportunity_pool'));

insert into public.universes (id, name, description, asset_type, rank_by, top_n) values
  ('equity_opportunities', 'Equity opportunity pool',
   'Equities moving unusually on the latest day: |z-score| > 2 or volume 15% above its 20-day average; top 20 by |z-score|',
   'equity', 'opportunity_pool', 20),
  ('crypto_opportunities', 'Crypto opportunity pool',
   'Crypto assets moving unusually on the latest day: |z-score| > 2 or volume 15% above its 20-day average; top 20 by |z-score|',
   'crypto', 'opportunity_pool', 20)
on conflict (id) do nothing;
