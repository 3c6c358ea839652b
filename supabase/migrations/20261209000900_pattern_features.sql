-- Chart patterns join the catalogue (issue #17): double top, inverse head and shoulders, bull and bear
-- flags, each 1 on the bar it completes (shared/indicators/patterns). asset_latest_features and
-- asset_screen mirror daily_features column for column; the screen's refresh is regenerated so it
-- copies the new columns.
alter table public.daily_features
  add column pattern_double_top double precision,
  add column pattern_inv_head_shoulders double precision,
  add column pattern_bull_flag double precision,
  add column pattern_bear_flag double precision;

alter table public.asset_latest_features
  add column pattern_double_top double precision,
  add column pattern_inv_head_shoulders double precision,
  add column pattern_bull_flag double precision,
  add column pattern_bear_flag double precision;

alter table public.asset_screen
  add column pattern_double_top double precision,
  add column pattern_inv_head_shoulders double precision,
  add column pattern_bull_flag double precision,
  add column pattern_bear_flag double precision;

select public.asset_screen_define_refresh();
