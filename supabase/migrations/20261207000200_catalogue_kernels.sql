-- Kernels that were tested against TA-Lib but computed nothing join the catalogue (issue #12):
-- +DM/-DM, LINEARREG, TSF (trend), APO (momentum), MIDPRICE/MIDPOINT (price structure) and CORREL of
-- close and volume (volume). asset_latest_features mirrors daily_features column for column.
alter table public.daily_features
  add column plus_dm_14 double precision,
  add column minus_dm_14 double precision,
  add column linearreg_14 double precision,
  add column tsf_14 double precision,
  add column apo_12_26 double precision,
  add column midprice_14 double precision,
  add column midpoint_14 double precision,
  add column corr_close_volume_20 double precision;

alter table public.asset_latest_features
  add column plus_dm_14 double precision,
  add column minus_dm_14 double precision,
  add column linearreg_14 double precision,
  add column tsf_14 double precision,
  add column apo_12_26 double precision,
  add column midprice_14 double precision,
  add column midpoint_14 double precision,
  add column corr_close_volume_20 double precision;
