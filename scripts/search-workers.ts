// Group discovery on every core: a piscina pool of worker threads (scripts/search-worker.ts) walks the
// tasks (one per lowest pair of members) under one global time budget. Tasks are handed out one per
// idle worker, each with a deadline from the time bank (shared/search/groups/budget.ts); a watchdog on
// this thread re-divides the bank among the tasks still running whenever a task finishes and every
// 50 ms, by rewriting their deadlines in shared memory. When time runs out the best groups found so
// far are kept.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Sql } from '../shared/db/client.ts';
import type { PipelineContext } from '../shared/pipeline/types.ts';
import { loadDataset } from '../shared/search/dataset.ts';
import { prepareDataset } from '../shared/search/evaluate.ts';
import { type DiscoveryResult, TimeBank } from '../shared/search/groups/budget.ts';
import {
  buildGroupSpace,
  GROUP_DEFAULTS,
  type GroupCandidate,
  type GroupOptions,
  type GroupSpace,
  groupTasks,
  mergeGroups,
  type TaskResult,
} from '../shared/search/groups/discover.ts';
import { finishDiscovery, pruneRun, runWeek } from '../shared/search/groups/run.ts';
import type { SelectionOptions } from '../shared/search/groups/select.ts';
import { loadSelectedGroup } from '../shared/search/groups/store.ts';
import { loadPruned, type PruneOptions } from '../shared/search/prune.ts';
import { queueGroupDiscovery } from '../shared/stages/search/index.ts';
import { drainUntilIdle } from './local/session.ts';

/** How often the watchdog looks at the running tasks. */
const WATCHDOG_MS = 50;
/** An Int32 deadline that never comes (no budget). */
const NEVER = 2 ** 31 - 1;

/** Workers by default: every core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** The worker threads need tsx to load TypeScript; under tsx they inherit it, elsewhere (tests) it is added. */
function workerExecArgv(): string[] {
  const argv = process.execArgv;
  return argv.some((a) => a.includes('tsx')) ? argv : [...argv, '--import', 'tsx'];
}

/** Runs the whole discovery over `workers` threads within `budgetMs` (Infinity: no budget). */
export async function discoverInParallel(
  space: GroupSpace,
  options: GroupOptions,
  settings: { workers: number; budgetMs: number },
): Promise<DiscoveryResult> {
  const epoch = Date.now();
  const now = () => Date.now() - epoch;
  const tasks = groupTasks(space, options);
  const deadlines = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, tasks.length)));
  const setDeadline = (task: number, at: number) =>
    Atomics.store(deadlines, task, Number.isFinite(at) ? Math.floor(at) : NEVER);
  const pool = new Piscina({
    filename: new URL('./search-worker.ts', import.meta.url).href,
    minThreads: settings.workers,
    maxThreads: settings.workers,
    idleTimeout: 1000,
    execArgv: workerExecArgv(),
    workerData: { space, options, deadlines, epoch },
  });
  // Threads load their modules first (a second or more on a busy machine); that time is spent from the
  // budget, but no task's share is: the bank opens once every thread has answered.
  await Promise.all(Array.from({ length: settings.workers }, () => pool.run({ task: -1, pair: [0, 0] })));
  while (pool.idleThreads < settings.workers && now() < settings.budgetMs)
    await new Promise((resolve) => setTimeout(resolve, 10));
  const bank = new TimeBank(now(), settings.budgetMs - now(), settings.workers, tasks.length);
  const watchdog = () => {
    for (const c of bank.rebalance(now())) setDeadline(c.task, c.deadline);
  };
  const timer = setInterval(watchdog, WATCHDOG_MS);
  const lists: GroupCandidate[][] = [];
  let evaluations = 0;
  // Tasks waiting, first ones first; a cut one comes back at the end with where to go on.
  const queue: { task: number; resume: number[] }[] = tasks.map((_, task) => ({ task, resume: [] }));
  const feed = async () => {
    // Past the global end a task could only be cut at once: the ones left stay unwalked.
    while (queue.length > 0 && now() < bank.end) {
      const piece = queue.shift()!;
      setDeadline(piece.task, bank.start(piece.task, now()));
      const result = (await pool.run({
        task: piece.task,
        pair: tasks[piece.task],
        resume: piece.resume,
      })) as TaskResult;
      bank.finish(piece.task, now());
      lists.push(result.groups);
      evaluations += result.evaluations;
      if (result.resume) {
        queue.push({ task: piece.task, resume: result.resume });
        bank.requeue();
      }
      watchdog();
    }
  };
  try {
    await Promise.all(Array.from({ length: settings.workers }, feed));
  } finally {
    clearInterval(timer);
    await pool.destroy();
  }
  return {
    groups: mergeGroups(lists, options.top ?? GROUP_DEFAULTS.top),
    evaluations,
    tasks: tasks.length,
    cut: queue.length,
    elapsedMs: now(),
    stoppedBy: queue.length > 0 ? 'budget' : 'complete',
  };
}

/** What `stratos search --prune/--groups` asks for. */
export interface DiscoverySettings {
  groups: boolean;
  workers: number;
  budgetMs: number;
  prune: PruneOptions;
  group: GroupOptions;
  selection: SelectionOptions;
  log: (line: string) => void;
  out: (line: string) => void;
}

const pct = (x: number | null) => (x !== null && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '—');
const num = (x: number | null, digits = 2) => (x !== null && Number.isFinite(x) ? x.toFixed(digits) : '—');

/**
 * Prunes a search run (printing what each gate refused and the kept variations) and, with `groups`,
 * discovers its groups on `workers` threads, stores them with the week's selection and prints the
 * chosen group with its statistics.
 */
export async function pruneAndDiscover(sql: Sql, runId: number, s: DiscoverySettings): Promise<void> {
  const week = await runWeek(sql, runId);
  const data = prepareDataset(await loadDataset(sql, week));
  const pruned = await pruneRun(sql, data, runId, s.prune);
  const r = pruned.refused;
  s.out(
    `pruned run ${runId}: kept ${pruned.kept.length} of ${pruned.candidates} variations (at most ${pruned.options.perAlgorithm} per algorithm); refused: ${r.buys} too few picks on a day, ${r.breadth} picking over ${pruned.options.maxBuyShare * 100}% of the sample, ${r.positive} under ${pruned.options.minPositiveDays} positive days, ${r.worstDay} with a day below ${pct(pruned.options.worstDay)}, ${r.overlap} repeating a better one`,
  );
  s.out(
    'rank  variation                                                   score   mean/day  worst day  min buys',
  );
  for (const k of pruned.kept)
    s.out(
      [
        String(k.rank).padStart(4),
        k.candidate.key.padEnd(58),
        pct(k.score).padStart(8),
        pct(k.candidate.stats.meanReturn).padStart(9),
        pct(k.worstDay).padStart(10),
        String(k.minDayBuys).padStart(9),
      ].join('  '),
    );
  if (!s.groups) return;
  const space = buildGroupSpace(data, await loadPruned(sql, runId));
  s.log(
    `group discovery: ${space.keys.length} variations, ${s.workers} worker(s), budget ${Number.isFinite(s.budgetMs) ? `${(s.budgetMs / 1000).toFixed(0)} s` : 'none'}`,
  );
  const result = await discoverInParallel(space, s.group, { workers: s.workers, budgetMs: s.budgetMs });
  const ranked = await finishDiscovery(sql, runId, week, space.keys, result, {
    groups: s.group,
    selection: s.selection,
    workers: s.workers,
  });
  s.out(
    `groups of run ${runId}: ${result.evaluations.toLocaleString('en-US')} intersections in ${(result.elapsedMs / 1000).toFixed(1)} s (${Math.round(result.evaluations / Math.max(result.elapsedMs / 1000, 1e-3)).toLocaleString('en-US')}/s) over ${result.tasks} tasks, ${result.stoppedBy === 'complete' ? 'the whole tree walked' : `${result.cut} task(s) cut by the budget`}; ${ranked.length} best groups kept, ${ranked.filter((g) => g.rejected === null).length} pass the selection`,
  );
  const chosen = ranked.find((g) => g.selected);
  if (!chosen) {
    s.out(
      `no group selected for the week of ${week}: ${ranked.length === 0 ? 'no group passed the minimum picks and positive days' : `every kept group failed a rule (best: ${ranked[0]!.rejected})`}`,
    );
    return;
  }
  s.out(`selected group for the week of ${week} (rank ${chosen.rank} by score):`);
  for (const v of chosen.variations) s.out(`  ${v}`);
  s.out(`  day        ${data.dataset.dates.slice(-5).join('  ')}`);
  s.out(`  result     ${chosen.daily.map((x) => pct(x).padStart(10)).join('  ')}`);
  s.out(`  picks      ${chosen.picks.map((x) => String(x).padStart(10)).join('  ')}`);
  s.out(
    `  mean/day ${pct(chosen.meanReturn)}, std/day ${pct(chosen.stdReturn)}, Sharpe/day ${num(chosen.sharpe)}, worst day ${pct(chosen.worstDay)}, positive days ${chosen.positiveDays}/5, leave-one-day-out worst mean ${pct(chosen.looWorst)}, deflated Sharpe ${num(chosen.dsr, 3)} counting ${chosen.trials} trials of the week's ledger`,
  );
}

/**
 * Group discovery of a search run as queue jobs (the search stage), one part per worker, drained here
 * by `workers` loops side by side; prints the week's selected group as stored.
 */
export async function discoverAsJobs(
  ctx: PipelineContext,
  runId: number,
  workers: number,
  budgetS: number,
): Promise<void> {
  const pipelineRun = await queueGroupDiscovery(ctx, runId, { budgetS, parts: workers });
  await drainUntilIdle(ctx, `search-${process.pid}`, workers);
  const [run] = await ctx.sql<{ status: string; summary: Record<string, number> }[]>`
    select status, summary from pipeline_runs where id = ${pipelineRun}`;
  console.log(
    `search run ${runId}: group discovery as pipeline run ${pipelineRun} (${workers} jobs) ${run?.status}: ${run?.summary.evaluations ?? 0} intersections, ${run?.summary.groups ?? 0} groups kept, ${run?.summary.selected ?? 0} selected`,
  );
  const chosen = await loadSelectedGroup(ctx.sql, await runWeek(ctx.sql, runId));
  if (chosen?.runId === runId)
    console.log(
      `selected: ${chosen.members.map((m) => m.variation).join(' & ')}; daily ${chosen.daily.map((x) => pct(x)).join(' ')}, picks ${chosen.picks.join(' ')}, worst day ${pct(chosen.worstDay)}, leave-one-day-out ${pct(chosen.looWorst)}, DSR ${num(chosen.dsr, 3)} counting ${chosen.trials} trials`,
    );
}
