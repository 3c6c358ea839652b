-- GET /assets answers from a response cache keyed by the query and a data generation (issue #12: the
-- list's p95 under 32 clients). The profile of the uncached list put 1-2 ms of Node and 1.3-5 ms of
-- PostgreSQL CPU behind every request (scripts/bench/api.ts), which on 2 cores caps it near 300-800
-- requests a second; the screener's data only changes when a stage writes, so a repeated query can be
-- answered without running it, as long as any write to what the list reads moves the generation.
--
-- The generation is the sum of 256 counters; a statement that writes one of the list's sources bumps
-- the counter of its backend's slot inside its own transaction. So the sum a snapshot sees moves with
-- exactly the committed writes it sees (each adds at least one), and a response computed in a
-- repeatable-read transaction that read the sum G holds for every later snapshot that reads G. Slots
-- per backend keep concurrent writers (parallel stage jobs) off one row lock; a writer holds its
-- slot's lock until commit, which only another backend of the same slot would wait for.
create table public.api_data_generation (
  slot integer primary key check (slot between 0 and 255),
  n bigint not null default 0
);
insert into public.api_data_generation (slot) select generate_series(0, 255);

create function public.api_data_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.api_data_generation set n = n + 1 where slot = pg_backend_pid() % 256;
  return null;
end $$;

revoke execute on function public.api_data_changed() from public, anon, authenticated;

-- What GET /assets reads: asset_screen (assets, latest bars and features through its triggers), the
-- bars and features rank universes read, the day's signals, reviews, ledger flags and sentiment, and
-- the universes themselves.
do $$
declare
  t text;
begin
  foreach t in array array['asset_screen', 'daily_bars', 'daily_features', 'daily_signal_facts',
    'asset_ai_reviews', 'data_quality_ledger', 'daily_sentiment', 'universes']
  loop
    execute format(
      'create trigger %1$s_api_generation after insert or update or delete or truncate on public.%1$I
         for each statement execute function public.api_data_changed()', t);
  end loop;
end $$;

-- Readers may read the generation (it says nothing but how often data changed); only triggers write.
alter table public.api_data_generation enable row level security;
revoke all on public.api_data_generation from anon, authenticated;
grant select on public.api_data_generation to anon, authenticated;
grant all on public.api_data_generation to service_role;
create policy "readers read the data generation" on public.api_data_generation
  for select to anon, authenticated using (true);
