// The global time budget of a group discovery and its watchdog. The budget is a bank of worker time
// (workers × budget): a task that starts takes a fair share of what is left (the bank over the tasks not
// yet started), capped at the global end; a task that finishes early gives its unused time back; once
// no task waits, the watchdog divides the bank among the tasks still running, so early finishers
// donate their time to the slow subtrees. A task cut by its deadline goes back to the end of the queue
// and later goes on from where it stopped, so time left over is never lost to a cut subtree; only the
// global end leaves a subtree unwalked. No deadline ever passes the global end.

import {
  exploreTask,
  GROUP_DEFAULTS,
  type GroupCandidate,
  type GroupOptions,
  type GroupSpace,
  mergeGroups,
} from './discover.ts';

/** A running task's deadline changed by the watchdog. */
export interface DeadlineChange {
  task: number;
  deadline: number;
}

/** The time bank (see the file header); times are milliseconds on the caller's clock. */
export class TimeBank {
  private bank: number;
  private pending: number;
  private readonly running = new Map<number, number>();
  /** The global end: start + budget. */
  readonly end: number;

  constructor(start: number, budgetMs: number, workers: number, tasks: number) {
    this.end = start + budgetMs;
    this.bank = budgetMs * workers;
    this.pending = tasks;
  }

  /** Starts a task at `now`; returns its deadline. */
  start(task: number, now: number): number {
    this.pending = Math.max(0, this.pending - 1);
    if (this.end === Number.POSITIVE_INFINITY) {
      this.running.set(task, this.end);
      return this.end;
    }
    // Fair share of the bank among this task and the ones still waiting.
    const share = this.bank / (this.pending + 1);
    const deadline = Math.min(this.end, now + Math.max(0, share));
    this.bank -= deadline - now;
    this.running.set(task, deadline);
    return deadline;
  }

  /** Ends a task at `now`, returning its unused time to the bank. */
  finish(task: number, now: number): void {
    const deadline = this.running.get(task);
    if (deadline === undefined) return;
    this.running.delete(task);
    if (deadline !== Number.POSITIVE_INFINITY) this.bank += Math.max(0, deadline - now);
  }

  /** Puts a cut task back among the waiting ones (it goes on from where it stopped). */
  requeue(): void {
    this.pending++;
  }

  /** The watchdog: with no task waiting, spreads the bank over the running tasks; returns the new deadlines. */
  rebalance(now: number): DeadlineChange[] {
    if (
      this.end === Number.POSITIVE_INFINITY ||
      this.pending > 0 ||
      this.running.size === 0 ||
      this.bank <= 0
    )
      return [];
    const extra = this.bank / this.running.size;
    const changes: DeadlineChange[] = [];
    for (const [task, deadline] of this.running) {
      const next = Math.min(this.end, Math.max(deadline, now) + extra);
      if (next <= deadline) continue;
      this.bank -= next - deadline;
      this.running.set(task, next);
      changes.push({ task, deadline: next });
    }
    return changes;
  }
}

/** A discovery's outcome: the merged best groups, the work done, and whether the whole tree was walked. */
export interface DiscoveryResult {
  groups: GroupCandidate[];
  evaluations: number;
  tasks: number;
  /** Tasks whose subtree was not walked to the end by the global end. */
  cut: number;
  elapsedMs: number;
  stoppedBy: 'complete' | 'budget';
}

/**
 * Runs tasks one after another in this thread under a time budget (a queue job's share of the tree,
 * or the whole discovery on one core): the same bank with one worker.
 */
export function runTasks(
  space: GroupSpace,
  tasks: readonly (readonly [number, number])[],
  options: GroupOptions,
  budgetMs: number,
  now: () => number,
): DiscoveryResult {
  const started = now();
  const bank = new TimeBank(started, budgetMs, 1, tasks.length);
  const lists: GroupCandidate[][] = [];
  let evaluations = 0;
  const queue: { task: number; resume: number[] }[] = tasks.map((_, task) => ({ task, resume: [] }));
  while (queue.length > 0 && now() < bank.end) {
    const piece = queue.shift()!;
    const deadline = bank.start(piece.task, now());
    const result = exploreTask(space, tasks[piece.task]!, options, () => now() >= deadline, piece.resume);
    bank.finish(piece.task, now());
    lists.push(result.groups);
    evaluations += result.evaluations;
    if (result.resume) {
      queue.push({ task: piece.task, resume: result.resume });
      bank.requeue();
    }
  }
  const cut = queue.length;
  return {
    groups: mergeGroups(lists, options.top ?? GROUP_DEFAULTS.top),
    evaluations,
    tasks: tasks.length,
    cut,
    elapsedMs: now() - started,
    stoppedBy: cut > 0 ? 'budget' : 'complete',
  };
}
