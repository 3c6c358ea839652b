import type { RunView } from '../../../shared/api/contracts/runs.ts';

// Live updates: while any run of the latest date has work queued or running, the runs and health
// queries poll quickly so the pages follow it; otherwise they refresh slowly.

/** Poll interval while a run is in progress. */
export const LIVE_POLL_MS = 3000;
/** Poll interval otherwise (a scheduled run starting is noticed within this). */
export const IDLE_POLL_MS = 30_000;

/** How many jobs a run has, whatever their state. */
export function jobTotal(jobs: RunView['jobs']): number {
  return jobs.queued + jobs.running + jobs.done + jobs.failed;
}

/** Whether a run still has work: its status says so, or it has queued or running jobs. */
export function runInProgress(run: Pick<RunView, 'status' | 'jobs'>): boolean {
  // `queued` is compared as a string: the contract lets the API report not-yet-started runs.
  const status: string = run.status;
  return status === 'running' || status === 'queued' || run.jobs.queued > 0 || run.jobs.running > 0;
}

/** Whether any of `runs` is in progress. */
export function anyInProgress(runs: readonly Pick<RunView, 'status' | 'jobs'>[] | undefined): boolean {
  return runs?.some(runInProgress) ?? false;
}

/** The refetch interval for a query whose data holds these runs. */
export function runPollInterval(runs: readonly Pick<RunView, 'status' | 'jobs'>[] | undefined): number {
  return anyInProgress(runs) ? LIVE_POLL_MS : IDLE_POLL_MS;
}
