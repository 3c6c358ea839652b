// Group discovery as queue work (DESIGN Part 2, decision 4): `plan` prunes the search run when it was
// not and cuts the discovery's tasks into `parts` interleaved jobs; each job walks its tasks under the
// run's one global deadline (the run's start + budget) and stores its best groups as a part; the run's
// last step merges the parts, selects and stores the week's groups exactly as one process would.

import type { Sql } from '../../db/client.ts';
import { AppError } from '../../errors/index.ts';
import type { JobOutcome, PipelineContext, StageHandler, StageRun } from '../../pipeline/types.ts';
import { runTasks } from '../../search/groups/budget.ts';
import {
  GROUP_DEFAULTS,
  type GroupCandidate,
  groupTasks,
  mergeGroups,
} from '../../search/groups/discover.ts';
import { finishDiscovery, prepareDiscovery, runWeek } from '../../search/groups/run.ts';
import { loadPruned } from '../../search/prune.ts';
import { SearchJob, SearchParams } from './input.ts';

/** Milliseconds left of the run's global budget (Infinity without one). */
function budgetLeft(run: StageRun<SearchParams>): number {
  if (run.params.budget_s === undefined) return Number.POSITIVE_INFINITY;
  return new Date(run.started_at).getTime() + run.params.budget_s * 1000 - Date.now();
}

async function processPart(
  ctx: PipelineContext,
  run: StageRun<SearchParams>,
  job: SearchJob,
): Promise<JobOutcome> {
  const id = run.params.search_run_id;
  const { space } = await prepareDiscovery(ctx.sql, id);
  const mine = groupTasks(space).filter((_, t) => t % job.parts === job.part);
  const result = runTasks(space, mine, {}, Math.max(0, budgetLeft(run)), () => Date.now());
  // Members are stored by key: indices are only meaningful within one space.
  const groups = result.groups.map((g) => ({ ...g, keys: g.members.map((m) => space.keys[m]!) }));
  await ctx.sql`
    insert into search_group_parts (run_id, part, groups, evaluations, complete)
    values (${id}, ${job.part}, ${ctx.sql.json(groups as never)}, ${result.evaluations}, ${result.cut === 0})
    on conflict (run_id, part) do update set groups = excluded.groups, evaluations = excluded.evaluations,
      complete = excluded.complete, created_at = now()`;
  return {
    counts: { tasks: mine.length, evaluations: result.evaluations, cut: result.cut },
    assetErrors: [],
  };
}

/** Merges the parts of a discovery, selects and stores its groups; returns counters for the run summary. */
async function mergeParts(
  ctx: PipelineContext,
  run: StageRun<SearchParams>,
): Promise<Record<string, number>> {
  const id = run.params.search_run_id;
  const week = await runWeek(ctx.sql, id);
  const keys = (await loadPruned(ctx.sql, id)).map((p) => p.key);
  const index = new Map(keys.map((k, i) => [k, i]));
  const parts = await ctx.sql<
    { groups: (GroupCandidate & { keys: string[] })[]; evaluations: string; complete: boolean }[]
  >`
    select groups, evaluations, complete from search_group_parts where run_id = ${id} order by part`;
  const lists = parts.map((p) =>
    p.groups.map((g) => ({
      members: g.keys.map((k) => index.get(k) ?? -1),
      daily: g.daily,
      picks: g.picks,
      score: g.score,
    })),
  );
  if (lists.some((l) => l.some((g) => g.members.includes(-1))))
    throw new AppError('conflict', `search run ${id} was pruned again after its groups were found`, {
      retryable: false,
    });
  const groups = mergeGroups(lists, GROUP_DEFAULTS.top);
  const [jobs] = await ctx.sql<{ tasks: string }[]>`
    select coalesce(sum((result ->> 'tasks')::int), 0) as tasks from pipeline_jobs where run_id = ${run.id}`;
  const evaluations = parts.reduce((s, p) => s + Number(p.evaluations), 0);
  const cut = parts.filter((p) => !p.complete).length;
  const ranked = await finishDiscovery(
    ctx.sql,
    id,
    week,
    keys,
    {
      groups,
      evaluations,
      tasks: Number(jobs?.tasks ?? 0),
      cut,
      elapsedMs: Date.now() - new Date(run.started_at).getTime(),
      stoppedBy: cut > 0 ? 'budget' : 'complete',
    },
    { groups: {}, selection: {}, workers: run.params.parts },
  );
  return { groups: ranked.length, selected: ranked.filter((g) => g.selected).length };
}

/** The search stage: group discovery of a pruned search run, split over queue jobs. */
export const searchStage: StageHandler<SearchParams, SearchJob> = {
  stage: 'search',
  description: 'discover groups of pruned search variations (split into jobs) and select the week’s group',
  params: SearchParams,
  payload: SearchJob,
  async plan(ctx, run) {
    const id = run.params.search_run_id;
    const { space } = await prepareDiscovery(ctx.sql, id);
    await ctx.sql`delete from search_group_parts where run_id = ${id}`;
    const parts = Math.max(1, Math.min(run.params.parts, groupTasks(space).length));
    return Array.from({ length: parts }, (_, part) => ({ part, parts }));
  },
  process: processPart,
  afterRun: mergeParts,
};

/**
 * Queues the group discovery of a search run as a `search` run (keyed by the run's week, universe
 * equity_all, the dataset's market); a finished one for the week is run again, a running one is left.
 * Returns the pipeline run's id.
 */
export async function queueGroupDiscovery(
  ctx: PipelineContext,
  searchRunId: number,
  options: { budgetS?: number; parts?: number } = {},
): Promise<number> {
  const params = SearchParams.parse({
    search_run_id: searchRunId,
    ...(options.budgetS !== undefined ? { budget_s: options.budgetS } : {}),
    ...(options.parts !== undefined ? { parts: options.parts } : {}),
  });
  const week = await runWeek(ctx.sql, searchRunId);
  return ctx.sql.begin(async (tx) => {
    const sql = tx as unknown as Sql;
    const [run] = await sql<{ id: string; status: string }[]>`
      insert into pipeline_runs (stage, run_date, universe, chain, params)
      values ('search', ${week}, 'equity_all', false, ${sql.json(params)})
      on conflict (stage, run_date, universe) where stage <> 'backtest'
      do update set status = 'running', params = excluded.params, summary = '{}', started_at = now(),
        finished_at = null
      where pipeline_runs.status <> 'running'
      returning id, status`;
    if (!run) {
      const [busy] = await sql<{ id: string }[]>`
        select id from pipeline_runs where stage = 'search' and run_date = ${week} and universe = 'equity_all'`;
      return Number(busy!.id);
    }
    const id = Number(run.id);
    await sql`delete from pipeline_jobs where run_id = ${id}`;
    const stageRun = {
      ...(await sql<StageRun<unknown>[]>`select * from pipeline_runs where id = ${id}`)[0]!,
      params,
    };
    const payloads = await searchStage.plan({ ...ctx, sql }, stageRun);
    await sql`
      insert into pipeline_jobs (run_id, chunk, payload)
      select ${id}, ordinality - 1, value from jsonb_array_elements(${sql.json(payloads as never)}) with ordinality`;
    return id;
  });
}
