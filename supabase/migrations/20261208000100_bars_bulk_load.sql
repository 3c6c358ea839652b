-- Bulk loads of daily_bars at close to the speed of a plain COPY (619,017 S&P bars in one import).

-- The date index cost more than the rest of a bulk load: a COPY writes each symbol's history in date
-- order, so every row lands on another leaf of an index on date alone (about 6 s of a 10 s load under
-- load, against about 4 s without it). Every read path names its assets, so the primary key
-- (asset_id, date) serves it with a range per asset: the backtest warm-up (distinct dates before a
-- start) got faster without the index (128 ms against 488 ms on the S&P set), the repair check and the
-- stage loads never used it, the signal scorecard and the backtest digest read by asset and date range.
drop index public.daily_bars_date_idx;

-- Every asset a statement wrote bars for must exist, and is locked as the foreign key locked it. The
-- written rows are reduced to their assets once (a bulk load writes hundreds of thousands of rows for
-- a few hundred assets), where the check reduced them twice.
create or replace function public.daily_bars_check_assets() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  ids bigint[] := array(select distinct asset_id from written);
  missing bigint;
begin
  perform 1 from public.assets a where a.id = any(ids) for key share;
  select x into missing from unnest(ids) x
  where not exists (select 1 from public.assets a where a.id = x)
  limit 1;
  if found then
    raise exception using
      errcode = 'foreign_key_violation',
      message = format('insert or update on table "daily_bars" violates foreign key rule: asset %s does not exist', missing);
  end if;
  return null;
end $$;

-- The latest bar of each asset a statement wrote: one probe of the primary key per asset (its newest
-- stored row, which this statement's rows are part of) instead of sorting every written row by asset
-- and date. A concurrent writer's later bar is never replaced by an earlier one, and a rewrite that
-- changes nothing writes nothing.
create or replace function public.asset_latest_upsert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.asset_latest as l (asset_id, date, close)
  select w.asset_id, b.date, b.close
  from (select distinct asset_id from written) w
  cross join lateral (
    select date, close from public.daily_bars b where b.asset_id = w.asset_id order by date desc limit 1
  ) b
  on conflict (asset_id) do update set date = excluded.date, close = excluded.close
  where excluded.date >= l.date and (l.date, l.close) is distinct from (excluded.date, excluded.close);
  return null;
end $$;
