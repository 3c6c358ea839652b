-- Row-level security on every table in public, for direct access through the Supabase Data API
-- (PostgREST) with the publishable key or a user's session. The stages and control-api connect as
-- the table owner and are not subject to it; control-api enforces the same roles itself.
--
-- Who may do what:
--   anon, authenticated (readers)  SELECT on what the dashboard shows: assets, universes, daily_bars,
--                                  daily_features, signal_templates, daily_signal_facts,
--                                  asset_ai_reviews, pipeline_runs, pipeline_jobs,
--                                  pipeline_asset_errors, pipeline_schedules, data_quality_ledger.
--                                  Raw provider payloads (ledger.raw) and raw LLM output
--                                  (reviews.review) are market data, not secrets: provider keys travel
--                                  in headers and are redacted from errors, and no secret is stored
--                                  in any table.
--                                  Not readable: review_pending (the review stage's internal work list).
--   authenticated admins           additionally INSERT/UPDATE/DELETE on signal_templates and
--   (app_metadata.role = 'admin')  pipeline_schedules: the two things the dashboard edits.
--   service_role                   everything (it has BYPASSRLS, as on Supabase).
-- anon can write nothing, and nobody but the owner and service_role may TRUNCATE (which RLS does not
-- cover). A pgTAP test (supabase/tests/database/rls.test.sql) checks every role against every table
-- and fails when a table in public has RLS off or is missing from its matrix.

alter table public.assets enable row level security;
alter table public.universes enable row level security;
alter table public.daily_bars enable row level security;
alter table public.daily_features enable row level security;
alter table public.signal_templates enable row level security;
alter table public.daily_signal_facts enable row level security;
alter table public.asset_ai_reviews enable row level security;
alter table public.pipeline_runs enable row level security;
alter table public.pipeline_jobs enable row level security;
alter table public.pipeline_asset_errors enable row level security;
alter table public.pipeline_schedules enable row level security;
alter table public.data_quality_ledger enable row level security;
alter table public.review_pending enable row level security;

-- Supabase's default privileges give anon and authenticated every privilege on new tables, leaving
-- RLS as the only barrier; start from nothing instead and grant what each role needs.
revoke all on all tables in schema public from anon, authenticated;
revoke all on all sequences in schema public from anon, authenticated;
alter default privileges in schema public
  revoke insert, update, delete, truncate, references, trigger on tables from anon, authenticated;

grant select on
  public.assets, public.universes, public.daily_bars, public.daily_features, public.signal_templates,
  public.daily_signal_facts, public.asset_ai_reviews, public.pipeline_runs, public.pipeline_jobs,
  public.pipeline_asset_errors, public.pipeline_schedules, public.data_quality_ledger
to anon, authenticated;
grant insert, update, delete on public.signal_templates, public.pipeline_schedules to authenticated;

grant all on all tables in schema public to service_role;
grant all on all sequences in schema public to service_role;

create policy "readers read assets" on public.assets for select to anon, authenticated using (true);
create policy "readers read universes" on public.universes for select to anon, authenticated using (true);
create policy "readers read bars" on public.daily_bars for select to anon, authenticated using (true);
create policy "readers read features" on public.daily_features for select to anon, authenticated using (true);
create policy "readers read templates" on public.signal_templates for select to anon, authenticated using (true);
create policy "readers read signal facts" on public.daily_signal_facts for select to anon, authenticated using (true);
create policy "readers read reviews" on public.asset_ai_reviews for select to anon, authenticated using (true);
create policy "readers read runs" on public.pipeline_runs for select to anon, authenticated using (true);
create policy "readers read jobs" on public.pipeline_jobs for select to anon, authenticated using (true);
create policy "readers read asset errors" on public.pipeline_asset_errors for select to anon, authenticated using (true);
create policy "readers read schedules" on public.pipeline_schedules for select to anon, authenticated using (true);
create policy "readers read the data-quality ledger" on public.data_quality_ledger for select to anon, authenticated using (true);

-- Admin writes. `(select auth.jwt())` is evaluated once per statement, not once per row (Supabase's
-- RLS performance advice); app_metadata is set by the server, never by the user.
create policy "admins insert templates" on public.signal_templates for insert to authenticated
  with check (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');
create policy "admins update templates" on public.signal_templates for update to authenticated
  using (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin')
  with check (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');
create policy "admins delete templates" on public.signal_templates for delete to authenticated
  using (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');

create policy "admins insert schedules" on public.pipeline_schedules for insert to authenticated
  with check (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');
create policy "admins update schedules" on public.pipeline_schedules for update to authenticated
  using (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin')
  with check (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');
create policy "admins delete schedules" on public.pipeline_schedules for delete to authenticated
  using (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');
