-- Cheaper asset_screen refreshes. Measured on the bench database (EXPLAIN ANALYZE, 200 assets, the
-- size of a features job): the refresh's `where s is distinct from excluded` compared 145-column rows
-- at about 50 us a row, as much as writing them, and it saved writes only where nothing changed; a
-- source row is rewritten only when it changed (the features writes skip equal rows), except assets,
-- whose updated_at every ingest planning touches. So the upsert now always writes, and an update of
-- assets refreshes only the assets whose listed columns changed. The upsert is written out with its
-- column lists (planned once per session, not per call as dynamic SQL). A migration that adds a
-- column to daily_features and asset_screen calls the generator again
-- (`select public.asset_screen_define_refresh();`); until then the new column is left out of the copy.
create function public.asset_screen_define_refresh() returns void
language plpgsql set search_path = '' as $generator$
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
  execute format($define$
    create or replace function public.asset_screen_refresh(ids bigint[]) returns void
    language plpgsql set search_path = '' as $refresh$
    begin
      insert into public.asset_screen as s
        (asset_id, symbol, name, asset_type, sector, active, date, close, %1$s)
      select a.id, a.symbol, a.name, a.asset_type, a.sector, a.active, l.date, l.close, %2$s
      from public.assets a
      left join public.asset_latest l on l.asset_id = a.id
      left join public.asset_latest_features f on f.asset_id = a.id and f.date = l.date
      where a.id = any(ids)
      on conflict (asset_id) do update set symbol = excluded.symbol, name = excluded.name,
        asset_type = excluded.asset_type, sector = excluded.sector, active = excluded.active,
        date = excluded.date, close = excluded.close, %3$s;
    end $refresh$$define$,
    cols, features, updates);
  revoke execute on function public.asset_screen_refresh(bigint[]) from public, anon, authenticated;
end $generator$;

revoke execute on function public.asset_screen_define_refresh() from public, anon, authenticated;
select public.asset_screen_define_refresh();

create function public.asset_screen_assets_updated() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.asset_screen_refresh(array(
    select n.id from written n join before o on o.id = n.id
    where (n.symbol, n.name, n.asset_type, n.sector, n.active)
      is distinct from (o.symbol, o.name, o.asset_type, o.sector, o.active)));
  return null;
end $$;

drop trigger assets_screen_update on public.assets;
create trigger assets_screen_update after update on public.assets
  referencing old table as before new table as written
  for each statement execute function public.asset_screen_assets_updated();
