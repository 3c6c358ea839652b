-- GET /assets reads one pre-joined row per asset (issue #12: the list's p95 under 32 clients).
--
-- The list filtered and sorted every asset through hash joins of assets, asset_latest and
-- asset_latest_features (features only when they are of the latest bar's date): about 14 ms of the
-- server's time per feature-sorted page, against 2 ms for a top-N sort over one table holding the
-- same values (EXPLAIN ANALYZE on the 5,000-asset bench database). asset_screen is that table: the
-- asset's identity, its latest bar and that bar's features row, every daily_features column.
--
-- Statement-level triggers on the three sources refresh the rows of the assets a statement touched
-- from the sources themselves, so every writer keeps it exact, a refresh that changes nothing writes
-- nothing, and bulk writes to daily_bars/daily_features reach it only through the per-asset
-- summaries (at most one row per asset and statement). A column added to daily_features must be
-- added here as well (control-api's test holds them together); until then it is left out of the copy.

-- The identity first and the features after it, in daily_features' order: a scan reads a row's columns
-- up to the last one it needs, so the ranking's filter and tie-break columns come before the 137 values.
create table public.asset_screen (
  asset_id bigint primary key references public.assets (id) on delete cascade,
  active boolean not null,
  asset_type text not null,
  symbol text not null,
  name text,
  sector text,
  date date,
  close double precision
);

do $$
declare
  c record;
begin
  for c in
    select attname, format_type(atttypid, atttypmod) as type from pg_attribute
    where attrelid = 'public.daily_features'::regclass and attnum > 0 and not attisdropped
      and attname not in ('asset_id', 'date', 'computed_at')
    order by attnum
  loop
    execute format('alter table public.asset_screen add column %I %s', c.attname, c.type);
  end loop;
end $$;

-- Refreshes the given assets' rows: identity from assets, date and close from asset_latest, the
-- features from asset_latest_features when they are that date's. Not a security definer: the
-- triggers below call it with their owner's rights, and the API roles may not call it at all.
create function public.asset_screen_refresh(ids bigint[]) returns void
language plpgsql set search_path = '' as $$
declare
  features text;
  cols text;
  updates text;
begin
  select string_agg(format('f.%I', d.attname), ', ' order by d.attnum),
         string_agg(quote_ident(d.attname), ', ' order by d.attnum),
         string_agg(format('%1$I = excluded.%1$I', d.attname), ', ' order by d.attnum)
    into features, cols, updates
  from pg_attribute d
  join pg_attribute s on s.attrelid = 'public.asset_screen'::regclass and s.attname = d.attname
    and s.attnum > 0 and not s.attisdropped
  where d.attrelid = 'public.daily_features'::regclass and d.attnum > 0 and not d.attisdropped
    and d.attname not in ('asset_id', 'date');
  execute format(
    'insert into public.asset_screen as s
       (asset_id, symbol, name, asset_type, sector, active, date, close, %1$s)
     select a.id, a.symbol, a.name, a.asset_type, a.sector, a.active, l.date, l.close, %2$s
     from public.assets a
     left join public.asset_latest l on l.asset_id = a.id
     left join public.asset_latest_features f on f.asset_id = a.id and f.date = l.date
     where a.id = any($1)
     on conflict (asset_id) do update set symbol = excluded.symbol, name = excluded.name,
       asset_type = excluded.asset_type, sector = excluded.sector, active = excluded.active,
       date = excluded.date, close = excluded.close, %3$s
     where s is distinct from excluded',
    cols, features, updates) using ids;
end $$;

revoke execute on function public.asset_screen_refresh(bigint[]) from public, anon, authenticated;

create function public.asset_screen_written() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'assets' then
    perform public.asset_screen_refresh(array(select id from written));
  else
    perform public.asset_screen_refresh(array(select asset_id from written));
  end if;
  return null;
end $$;

create function public.asset_screen_all() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.asset_screen_refresh(array(select id from public.assets));
  return null;
end $$;

-- Deleted assets leave through the foreign key's cascade; every other change refreshes the rows.
create trigger assets_screen_insert after insert on public.assets
  referencing new table as written for each statement execute function public.asset_screen_written();
create trigger assets_screen_update after update on public.assets
  referencing new table as written for each statement execute function public.asset_screen_written();
create trigger asset_latest_screen_insert after insert on public.asset_latest
  referencing new table as written for each statement execute function public.asset_screen_written();
create trigger asset_latest_screen_update after update on public.asset_latest
  referencing new table as written for each statement execute function public.asset_screen_written();
create trigger asset_latest_screen_delete after delete on public.asset_latest
  referencing old table as written for each statement execute function public.asset_screen_written();
create trigger asset_latest_screen_truncate after truncate on public.asset_latest
  for each statement execute function public.asset_screen_all();
create trigger asset_latest_features_screen_insert after insert on public.asset_latest_features
  referencing new table as written for each statement execute function public.asset_screen_written();
create trigger asset_latest_features_screen_update after update on public.asset_latest_features
  referencing new table as written for each statement execute function public.asset_screen_written();
create trigger asset_latest_features_screen_delete after delete on public.asset_latest_features
  referencing old table as written for each statement execute function public.asset_screen_written();
create trigger asset_latest_features_screen_truncate after truncate on public.asset_latest_features
  for each statement execute function public.asset_screen_all();

select public.asset_screen_refresh(array(select id from public.assets));

-- The list's default order and its search run on the same table.
create index asset_screen_symbol_idx on public.asset_screen (symbol, asset_id) where active;

-- Readers see it like the tables it summarises; only the triggers write.
alter table public.asset_screen enable row level security;
revoke all on public.asset_screen from anon, authenticated;
grant select on public.asset_screen to anon, authenticated;
grant all on public.asset_screen to service_role;
create policy "readers read the asset screen" on public.asset_screen for select to anon, authenticated using (true);
