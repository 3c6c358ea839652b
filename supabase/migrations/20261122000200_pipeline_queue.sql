-- Stage execution: one run per (stage, date, universe), split into chunked jobs claimed with leases.

create table public.pipeline_runs (
  id bigint generated always as identity primary key,
  stage text not null check (stage in ('ingest', 'features', 'signals', 'review')),
  run_date date not null,
  universe text not null references public.universes (id),
  status text not null default 'running' check (status in ('running', 'succeeded', 'partial', 'failed')),
  -- Whether finishing this run starts the next stage for the same date and universe.
  chain boolean not null default true,
  params jsonb not null default '{}'::jsonb,
  summary jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (stage, run_date, universe)
);
create index pipeline_runs_date_idx on public.pipeline_runs (run_date desc, stage);

create table public.pipeline_jobs (
  id bigint generated always as identity primary key,
  run_id bigint not null references public.pipeline_runs (id) on delete cascade,
  chunk integer not null,
  payload jsonb not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 3 check (max_attempts > 0),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  result jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (run_id, chunk)
);
-- Claims scan only claimable rows.
create index pipeline_jobs_claimable_idx on public.pipeline_jobs (id) where status in ('queued', 'running');
create index pipeline_jobs_run_idx on public.pipeline_jobs (run_id, status);

-- Per-asset failures inside a job that otherwise succeeded: visible, never fatal to the run.
create table public.pipeline_asset_errors (
  run_id bigint not null references public.pipeline_runs (id) on delete cascade,
  asset_id bigint not null references public.assets (id) on delete cascade,
  error text not null,
  created_at timestamptz not null default now(),
  primary key (run_id, asset_id)
);

create table public.pipeline_schedules (
  id text primary key check (id ~ '^[a-z0-9_]+$'),
  description text not null,
  cron text not null,
  action text not null check (action in ('pipeline', 'drain')),
  universes text[] not null default '{}',
  enabled boolean not null default true,
  last_run_at timestamptz,
  updated_at timestamptz not null default now()
);
