-- The strategy lifecycle (issue #16): every strategy the discovery loop proposes, or an admin enrols,
-- carries a phase (backtest → paper → live → retired, or rejected); every change of phase, pause and
-- resume is a transition stored with who made it, why, and the numbers that justified it. The gates and
-- the discovery rate are one configuration row; the loop runs hourly as a pipeline_schedules row.

-- One row: whether discovery proposes, how many an hour, over which universe and look-back, and the gates.
-- `gates` holds only what an admin changed: the code's defaults (shared/lifecycle/config.ts) fill the rest,
-- so a default can be improved without a migration.
create table public.lifecycle_config (
  id boolean primary key default true check (id),
  discovery_enabled boolean not null default true,
  proposals_per_hour integer not null default 3 check (proposals_per_hour between 0 and 50),
  universe text not null default 'equity_all' references public.universes (id),
  lookback_days integer not null default 365 check (lookback_days between 30 and 3650),
  seed integer not null default 1,
  gates jsonb not null default '{}'::jsonb check (jsonb_typeof(gates) = 'object'),
  updated_by text,
  updated_at timestamptz not null default now()
);
insert into public.lifecycle_config (id) values (true) on conflict (id) do nothing;

-- A strategy's place in the lifecycle, pinned to the version that was evaluated.
create table public.strategy_lifecycle (
  strategy_id text primary key,
  strategy_version integer not null,
  phase text not null check (phase in ('backtest', 'paper', 'live', 'retired', 'rejected')),
  paused boolean not null default false,
  origin text not null check (origin in ('discovery', 'admin')),
  -- A discovery proposal: the built-in it varies and the parameters drawn, and the hour that drew them.
  builtin text,
  params jsonb,
  proposed_hour timestamptz,
  universe text not null references public.universes (id),
  -- The gate's evaluation of the backtest (metrics, deflated Sharpe, trials, the paper band), once made.
  evaluation jsonb,
  portfolio_id text references public.portfolios (id) on delete set null,
  paper_since date,
  live_since date,
  phase_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  foreign key (strategy_id, strategy_version) references public.strategies (id, version),
  check ((origin = 'discovery') = (builtin is not null and params is not null and proposed_hour is not null))
);
create index strategy_lifecycle_phase_idx on public.strategy_lifecycle (phase, phase_at desc);
create index strategy_lifecycle_hour_idx on public.strategy_lifecycle (proposed_hour) where proposed_hour is not null;

-- Every transition, append-only: promotions and rejections by the gates or an admin, pauses, resumes.
create table public.strategy_transitions (
  id bigint generated always as identity primary key,
  strategy_id text not null references public.strategy_lifecycle (strategy_id) on delete cascade,
  action text not null check (action in ('propose', 'enrol', 'promote', 'reject', 'retire', 'pause', 'resume')),
  from_phase text check (from_phase in ('backtest', 'paper', 'live', 'retired', 'rejected')),
  to_phase text not null check (to_phase in ('backtest', 'paper', 'live', 'retired', 'rejected')),
  actor text not null check (actor in ('system', 'admin')),
  reason text not null,
  metrics jsonb not null default '{}'::jsonb,
  at timestamptz not null default now()
);
create index strategy_transitions_strategy_idx on public.strategy_transitions (strategy_id, id);
create index strategy_transitions_at_idx on public.strategy_transitions (at desc);

-- One row per hour the loop ran: what it proposed and moved (a rerun of the hour updates its row).
create table public.lifecycle_cycles (
  hour timestamptz primary key,
  run_id bigint references public.pipeline_runs (id) on delete set null,
  as_of date not null,
  universe text not null references public.universes (id),
  proposed integer not null default 0,
  promoted integer not null default 0,
  rejected integer not null default 0,
  summary jsonb not null default '{}'::jsonb,
  finished_at timestamptz not null default now()
);

-- The hourly discovery loop is a schedule like the others: pg_cron calls the `lifecycle` function.
alter table public.pipeline_schedules
  drop constraint pipeline_schedules_action_check,
  add constraint pipeline_schedules_action_check
    check (action in ('pipeline', 'drain', 'watchdog', 'cleanup', 'lifecycle'));

-- run_schedule gains the 'lifecycle' action by wrapping the definition in force (renamed, not copied),
-- so schedule actions that other migrations add before this one keep working.
alter function stratos.run_schedule(text) rename to run_schedule_before_lifecycle;

/** Runs one schedule now; 'lifecycle' asks the lifecycle function for this hour's cycle, the rest as before. */
create function stratos.run_schedule(schedule_id text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  s public.pipeline_schedules;
  result jsonb;
begin
  select * into s from public.pipeline_schedules where id = schedule_id;
  if found and s.action = 'lifecycle' then
    result := jsonb_build_object('requests', jsonb_build_array(stratos.invoke_function('lifecycle', '{}'::jsonb)));
    update public.pipeline_schedules set last_run_at = now() where id = schedule_id;
    return result;
  end if;
  return stratos.run_schedule_before_lifecycle(schedule_id);
end
$$;
revoke all on function stratos.run_schedule(text), stratos.run_schedule_before_lifecycle(text) from public;

insert into public.pipeline_schedules (id, description, cron, action) values
  ('lifecycle', 'Strategy lifecycle: propose, backtest and gate new strategies; advance paper and live', '7 * * * *', 'lifecycle')
on conflict (id) do nothing;

-- Row-level security as in 20261207000700: readers read, only the service role (and the owner the
-- functions connect as) writes; control-api enforces admin for the lifecycle's actions and settings.
alter table public.lifecycle_config enable row level security;
alter table public.strategy_lifecycle enable row level security;
alter table public.strategy_transitions enable row level security;
alter table public.lifecycle_cycles enable row level security;
revoke all on public.lifecycle_config, public.strategy_lifecycle, public.strategy_transitions,
  public.lifecycle_cycles from anon, authenticated;
grant select on public.lifecycle_config, public.strategy_lifecycle, public.strategy_transitions,
  public.lifecycle_cycles to anon, authenticated;
grant all on public.lifecycle_config, public.strategy_lifecycle, public.strategy_transitions,
  public.lifecycle_cycles to service_role;
create policy "readers read lifecycle config" on public.lifecycle_config for select to anon, authenticated using (true);
create policy "readers read strategy lifecycle" on public.strategy_lifecycle for select to anon, authenticated using (true);
create policy "readers read strategy transitions" on public.strategy_transitions for select to anon, authenticated using (true);
create policy "readers read lifecycle cycles" on public.lifecycle_cycles for select to anon, authenticated using (true);

-- The board follows moves live on Supabase.
do $$
begin
  if exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    alter publication supabase_realtime add table public.strategy_lifecycle, public.strategy_transitions;
  end if;
end
$$;
