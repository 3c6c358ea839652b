-- daily_bars.asset_id must name an asset, and an asset's bars go when it goes. The foreign key did this
-- with one trigger call and one index probe per written row, which cost more than twice a plain COPY
-- of the rows on a bulk import (619,017 S&P bars). The same rule, checked once per statement over all
-- rows it wrote, costs one join.
alter table public.daily_bars drop constraint daily_bars_asset_id_fkey;

-- Every asset a statement wrote bars for must exist. The assets are locked as the foreign key locked
-- them (for key share), so an asset deleted concurrently either waits for this transaction (and then
-- takes its bars along) or is already gone, and the write fails.
create function public.daily_bars_check_assets() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  missing bigint;
begin
  perform 1 from public.assets a where a.id in (select distinct asset_id from written) for key share;
  select w.asset_id into missing
  from (select distinct asset_id from written) w
  where not exists (select 1 from public.assets a where a.id = w.asset_id)
  limit 1;
  if found then
    raise exception using
      errcode = 'foreign_key_violation',
      message = format('insert or update on table "daily_bars" violates foreign key rule: asset %s does not exist', missing);
  end if;
  return null;
end $$;

create trigger daily_bars_assets_insert after insert on public.daily_bars
  referencing new table as written for each statement execute function public.daily_bars_check_assets();
create trigger daily_bars_assets_update after update on public.daily_bars
  referencing new table as written for each statement execute function public.daily_bars_check_assets();

-- What `on delete cascade` did.
create function public.assets_delete_bars() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.daily_bars where asset_id in (select id from removed);
  return null;
end $$;

create trigger assets_delete_bars after delete on public.assets
  referencing old table as removed for each statement execute function public.assets_delete_bars();
