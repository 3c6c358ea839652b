-- Stored incremental indicator state (issue #12, daily features speed). After computing an asset's
-- features up to a bar, the features stage stores the recursive kernels' running state (EMAs, Wilder
-- smoothing, TA-Lib's running sums: shared/indicators/state.ts) as packed float8; the next day resumes from
-- it on a bounded tail of bars instead of reading and recomputing the asset's whole history, with the
-- same values bit for bit (shared/stages/features/state.ts).
--
-- A state is only as good as the bars it was computed from. Every statement that writes an asset's bars
-- bumps `revision` and clears a state dated on or after the earliest bar it wrote (a corrected bar from
-- ingest repair, a CSV import, a deleted bar): the next run recomputes that asset from its first bar. A
-- job stores a state only if `revision` is still the one it read before reading the bars, so a bar written
-- while it computed never leaves a stale state behind.
create table public.feature_state (
  asset_id bigint primary key references public.assets (id) on delete cascade,
  revision bigint not null default 0,
  -- The bar the state follows, its index in the asset's history (0: the first bar), the catalogue and
  -- kernel version that recorded it and the state itself: all null once cleared.
  date date,
  bar_index integer check (bar_index >= 0),
  version text,
  state bytea,
  computed_at timestamptz not null default now(),
  check ((date is null) = (state is null) and (date is null) = (bar_index is null) and (date is null) = (version is null))
);

-- Bumps the revision of each asset and clears its state when dated on or after `firsts` (the earliest bar
-- a statement wrote for it). Bumping first takes the row lock a concurrent state write waits on. An asset
-- being deleted (its bars go with it) gets no row: its state goes by the foreign key's cascade. Internal
-- (schema stratos): only the triggers below call it, with their owner's rights.
create function stratos.feature_state_clear(asset_ids bigint[], firsts date[]) returns void
language sql set search_path = '' as $$
  insert into public.feature_state as s (asset_id, revision)
  select c.asset_id, 1 from unnest(asset_ids, firsts) as c(asset_id, first)
  where exists (select 1 from public.assets a where a.id = c.asset_id)
  on conflict (asset_id) do update set revision = s.revision + 1;
  update public.feature_state s
  set date = null, bar_index = null, version = null, state = null
  from unnest(asset_ids, firsts) as c(asset_id, first)
  where s.asset_id = c.asset_id and s.date >= c.first;
$$;

-- A transition table serves one event per trigger: inserted rows, updated rows (old and new dates, a
-- date may change) and deleted rows each get a function.
create function public.feature_state_bars_written() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform stratos.feature_state_clear(array_agg(asset_id), array_agg(first))
  from (select asset_id, min(date) as first from written group by asset_id) c;
  return null;
end $$;

create function public.feature_state_bars_updated() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform stratos.feature_state_clear(array_agg(asset_id), array_agg(first))
  from (
    select asset_id, min(date) as first
    from (select asset_id, date from written union all select asset_id, date from removed) b
    group by asset_id
  ) c;
  return null;
end $$;

create function public.feature_state_bars_removed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform stratos.feature_state_clear(array_agg(asset_id), array_agg(first))
  from (select asset_id, min(date) as first from removed group by asset_id) c;
  return null;
end $$;

create function public.feature_state_bars_truncated() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.feature_state
  set revision = revision + 1, date = null, bar_index = null, version = null, state = null;
  return null;
end $$;

create trigger daily_bars_feature_state_insert after insert on public.daily_bars
  referencing new table as written for each statement execute function public.feature_state_bars_written();
create trigger daily_bars_feature_state_update after update on public.daily_bars
  referencing old table as removed new table as written
  for each statement execute function public.feature_state_bars_updated();
create trigger daily_bars_feature_state_delete after delete on public.daily_bars
  referencing old table as removed for each statement execute function public.feature_state_bars_removed();
create trigger daily_bars_feature_state_truncate after truncate on public.daily_bars
  for each statement execute function public.feature_state_bars_truncated();

-- Internal to the features stage, like feature_run_ranks: only the service role reads and writes it.
alter table public.feature_state enable row level security;
revoke all on public.feature_state from anon, authenticated;
grant all on public.feature_state to service_role;
revoke all on function stratos.feature_state_clear(bigint[], date[]) from public, anon, authenticated, service_role;
