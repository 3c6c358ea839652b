// Group discovery on every core: a piscina pool of worker threads (scripts/search-worker.ts) walks the
// tasks (one per lowest pair of members) under one global time budget. Tasks are handed out one per
// idle worker, each with a deadline from the time bank (shared/search/groups/budget.ts); a watchdog on
// this thread re-divides the bank among the tasks still running whenever a task finishes and every
// 50 ms, by rewriting their deadlines in shared memory. When time runs out the best groups found so
// far are kept.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { type DiscoveryResult, TimeBank } from '../shared/search/groups/budget.ts';
import {
  GROUP_DEFAULTS,
  type GroupCandidate,
  type GroupOptions,
  type GroupSpace,
  groupTasks,
  mergeGroups,
  type TaskResult,
} from '../shared/search/groups/discover.ts';

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
  const bank = new TimeBank(0, settings.budgetMs, settings.workers, tasks.length);
  const setDeadline = (task: number, at: number) =>
    Atomics.store(deadlines, task, Number.isFinite(at) ? Math.floor(at) : NEVER);
  const watchdog = () => {
    for (const c of bank.rebalance(now())) setDeadline(c.task, c.deadline);
  };
  const pool = new Piscina({
    filename: new URL('./search-worker.ts', import.meta.url).href,
    minThreads: settings.workers,
    maxThreads: settings.workers,
    idleTimeout: 1000,
    execArgv: workerExecArgv(),
    workerData: { space, options, deadlines, epoch },
  });
  const timer = setInterval(watchdog, WATCHDOG_MS);
  const lists: GroupCandidate[][] = [];
  let evaluations = 0;
  let cut = 0;
  let next = 0;
  const feed = async () => {
    while (next < tasks.length) {
      // Past the global end a task could only be cut at once: the ones left count as cut, unwalked.
      if (now() >= bank.end) {
        cut += tasks.length - next;
        next = tasks.length;
        return;
      }
      const task = next++;
      setDeadline(task, bank.start(task, now()));
      const result = (await pool.run({ task, pair: tasks[task] })) as TaskResult;
      bank.finish(task, now());
      watchdog();
      lists.push(result.groups);
      evaluations += result.evaluations;
      if (!result.complete) cut++;
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
    cut,
    elapsedMs: now(),
    stoppedBy: cut > 0 ? 'budget' : 'complete',
  };
}
