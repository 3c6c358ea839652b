-- The weekly search after the optimizer (issue #16): the pruner's kept variations per run, the groups
-- that group discovery found over them, and the week's selected group that the weekday run trades.

-- How a run was pruned and how its groups were discovered (settings, counts, time, why it stopped).
alter table public.search_runs
  add column prune jsonb,
  add column groups jsonb;

-- Variations the pruner kept: passed every hard gate, best prune score first within their algorithm.
create table public.search_pruned (
  run_id bigint not null,
  variation text not null,
  algorithm text not null,
  rank integer not null check (rank > 0),
  prune_score double precision not null,
  confidence double precision not null check (confidence >= 0 and confidence <= 1),
  worst_day double precision not null,
  min_day_buys integer not null check (min_day_buys >= 0),
  primary key (run_id, variation),
  unique (run_id, algorithm, rank),
  foreign key (run_id, variation) references public.search_trials (run_id, variation) on delete cascade
);

-- Groups of pruned variations (at most one per algorithm), their metrics on the intersection of their
-- picks per day, the anti-overfit statistics of the final selection, and at most one selected per week.
create table public.search_groups (
  run_id bigint not null references public.search_runs (id) on delete cascade,
  week date not null references public.search_datasets (week) on delete cascade,
  -- Members' variation keys in the algorithms' order, joined by ' & ': unique per run.
  group_key text not null,
  rank integer not null check (rank > 0),
  variations text[] not null check (cardinality(variations) >= 2),
  algorithms text[] not null check (cardinality(algorithms) = cardinality(variations)),
  daily_returns double precision[] not null,
  picks integer[] not null,
  mean_return double precision not null,
  std_return double precision not null,
  sharpe double precision,
  worst_day double precision not null,
  positive_days integer not null check (positive_days >= 0),
  total_picks integer not null check (total_picks >= 0),
  score double precision not null,
  -- Leave-one-day-out: the lowest mean over the other days when any one day is left out.
  loo_worst double precision not null,
  dsr double precision,
  trials integer not null check (trials >= 0),
  -- Why the final selection refused the group (null: it passed every rule).
  rejected text,
  selected boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (run_id, group_key),
  unique (run_id, rank)
);
create unique index search_groups_one_selected_per_week on public.search_groups (week) where selected;

-- Group discovery as queue jobs: each job's best groups over its share of the search tree, merged by
-- the run's last step into search_groups; a job run again replaces its part.
create table public.search_group_parts (
  run_id bigint not null references public.search_runs (id) on delete cascade,
  part integer not null check (part >= 0),
  groups jsonb not null,
  evaluations bigint not null check (evaluations >= 0),
  complete boolean not null,
  created_at timestamptz not null default now(),
  primary key (run_id, part)
);

-- Row-level security as in 20261207000700: readers read, only the service role writes.
alter table public.search_pruned enable row level security;
alter table public.search_groups enable row level security;
alter table public.search_group_parts enable row level security;
revoke all on public.search_pruned, public.search_groups, public.search_group_parts from anon, authenticated;
grant select on public.search_pruned, public.search_groups, public.search_group_parts to anon, authenticated;
grant all on public.search_pruned, public.search_groups, public.search_group_parts to service_role;
create policy "readers read search pruned" on public.search_pruned for select to anon, authenticated using (true);
create policy "readers read search groups" on public.search_groups for select to anon, authenticated using (true);
create policy "readers read search group parts" on public.search_group_parts for select to anon, authenticated using (true);
