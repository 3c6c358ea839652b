-- Read paths of control-api at scale (5,000 assets x years of bars and features).
--
-- GET /assets filters and sorts every asset by its latest bar and that day's features. Looking them up
-- per request (a backwards index probe per asset, then a wide features row each, scattered over a
-- table of millions) costs tens of milliseconds at 5,000 assets. Two small tables keep the answer,
-- one row per asset: the latest bar, and the latest features row. Statement-level triggers on the
-- source tables maintain them, so every writer (ingest, CSV import, repairs, deletes, the features
-- stage) keeps them exact and re-running a stage stays idempotent.

create table public.asset_latest (
  asset_id bigint primary key references public.assets (id) on delete cascade,
  date date not null,
  close double precision not null
);

insert into public.asset_latest (asset_id, date, close)
select distinct on (asset_id) asset_id, date, close
from public.daily_bars
order by asset_id, date desc;

-- The newest features row of each asset, every daily_features column. It is kept by name (see
-- asset_latest_features_upsert), so a column added to daily_features must be added here too: until
-- then every features write fails loudly instead of drifting.
create table public.asset_latest_features (like public.daily_features including defaults);
alter table public.asset_latest_features
  add primary key (asset_id),
  add foreign key (asset_id) references public.assets (id) on delete cascade;

insert into public.asset_latest_features
select distinct on (asset_id) *
from public.daily_features
order by asset_id, date desc;

-- Newly written bars move an asset's latest row forward (or refresh it when its latest bar was revised).
create function public.asset_latest_upsert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.asset_latest as l (asset_id, date, close)
  select distinct on (asset_id) asset_id, date, close from written order by asset_id, date desc
  on conflict (asset_id) do update set date = excluded.date, close = excluded.close
  where excluded.date >= l.date;
  return null;
end $$;

-- Deleted bars: the affected assets' latest rows are recomputed from what is left.
create function public.asset_latest_recompute() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.asset_latest where asset_id in (select asset_id from removed);
  insert into public.asset_latest (asset_id, date, close)
  select distinct on (b.asset_id) b.asset_id, b.date, b.close
  from public.daily_bars b
  where b.asset_id in (select asset_id from removed)
  order by b.asset_id, b.date desc;
  return null;
end $$;

-- The same for features. Columns are listed by name from daily_features itself, so the copy follows
-- the catalogue without repeating it here.
create function public.asset_latest_features_upsert() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  cols text;
  updates text;
begin
  select string_agg(quote_ident(attname), ', ' order by attnum),
         string_agg(format('%1$I = excluded.%1$I', attname), ', ' order by attnum)
    into cols, updates
  from pg_attribute
  where attrelid = 'public.daily_features'::regclass and attnum > 0 and not attisdropped;
  execute format(
    'insert into public.asset_latest_features as l (%1$s)
     select distinct on (asset_id) %1$s from written order by asset_id, date desc
     on conflict (asset_id) do update set %2$s where excluded.date >= l.date',
    cols, updates);
  return null;
end $$;

create function public.asset_latest_features_recompute() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  cols text;
begin
  select string_agg(quote_ident(attname), ', ' order by attnum) into cols
  from pg_attribute
  where attrelid = 'public.daily_features'::regclass and attnum > 0 and not attisdropped;
  delete from public.asset_latest_features where asset_id in (select asset_id from removed);
  execute format(
    'insert into public.asset_latest_features (%1$s)
     select distinct on (asset_id) %1$s from public.daily_features
     where asset_id in (select asset_id from removed) order by asset_id, date desc',
    cols);
  return null;
end $$;

create function public.asset_latest_clear() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  execute format('delete from public.%I', tg_argv[0]);
  return null;
end $$;

-- A transition table serves one event per trigger, so inserts and updates (both fired by an
-- `insert ... on conflict do update`) each get their own.
create trigger daily_bars_latest_insert after insert on public.daily_bars
  referencing new table as written for each statement execute function public.asset_latest_upsert();
create trigger daily_bars_latest_update after update on public.daily_bars
  referencing new table as written for each statement execute function public.asset_latest_upsert();
create trigger daily_bars_latest_delete after delete on public.daily_bars
  referencing old table as removed for each statement execute function public.asset_latest_recompute();
create trigger daily_bars_latest_truncate after truncate on public.daily_bars
  for each statement execute function public.asset_latest_clear('asset_latest');

create trigger daily_features_latest_insert after insert on public.daily_features
  referencing new table as written for each statement execute function public.asset_latest_features_upsert();
create trigger daily_features_latest_update after update on public.daily_features
  referencing new table as written for each statement execute function public.asset_latest_features_upsert();
create trigger daily_features_latest_delete after delete on public.daily_features
  referencing old table as removed for each statement execute function public.asset_latest_features_recompute();
create trigger daily_features_latest_truncate after truncate on public.daily_features
  for each statement execute function public.asset_latest_clear('asset_latest_features');

-- Readers see them like the tables they summarise (row_level_security.sql); only the triggers write.
alter table public.asset_latest enable row level security;
alter table public.asset_latest_features enable row level security;
revoke all on public.asset_latest, public.asset_latest_features from anon, authenticated;
grant select on public.asset_latest, public.asset_latest_features to anon, authenticated;
grant all on public.asset_latest, public.asset_latest_features to service_role;
create policy "readers read latest bars" on public.asset_latest for select to anon, authenticated using (true);
create policy "readers read latest features" on public.asset_latest_features
  for select to anon, authenticated using (true);

-- GET /runs/:id shows when each job was last claimed and how long it took.
alter table public.pipeline_jobs add column started_at timestamptz;

-- GET /quality lists a date's ledger entries (the ledger grows with every rejected input row).
create index data_quality_ledger_date_idx on public.data_quality_ledger (date, kind);

