-- feature_run_ranks holds one row per run and asset, its ranks packed, instead of one per asset and
-- date: inserting the S&P set's 619,017 rank rows one by one (their foreign key checked for each, the
-- primary key taking each) was 46 s of planning under load; the window sorts alone 8 s.
drop table public.feature_run_ranks;

create table public.feature_run_ranks (
  run_id bigint not null,
  asset_id bigint not null,
  -- The asset's bar dates from the run's first date, as int4send of days since 2000-01-01.
  days bytea not null,
  -- The ranks on those dates as float8send (NaN where none).
  rank_ret_20 bytea not null,
  rank_ret_60 bytea not null,
  primary key (run_id, asset_id)
);

-- Working rows of the pipeline: only the service role reads or writes them. They go when their run
-- finishes, and those of runs that are gone or more than a day old with them.
alter table public.feature_run_ranks enable row level security;
revoke all on public.feature_run_ranks from anon, authenticated;
grant all on public.feature_run_ranks to service_role;
