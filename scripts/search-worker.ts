// A worker thread of the parallel group discovery (scripts/search-workers.ts): it receives the group
// space once (as workerData) and walks one task's subtree (or the rest of it) per call, stopping at the task's deadline,
// which the main thread's watchdog may extend while it runs (a shared Int32Array, ms after `epoch`).
import { workerData } from 'piscina';
import {
  exploreTask,
  type GroupOptions,
  type GroupSpace,
  type TaskResult,
} from '../shared/search/groups/discover.ts';

interface PoolData {
  space: GroupSpace;
  options: GroupOptions;
  deadlines: Int32Array;
  epoch: number;
}

const { space, options, deadlines, epoch } = workerData as PoolData;

/** Walks the subtree of task `task` (its lowest pair `pair`) until done or past its deadline. */
export default function walk({
  task,
  pair,
  resume,
}: {
  task: number;
  pair: [number, number];
  resume?: number[];
}): TaskResult {
  // Task −1 only says the thread is up (the pool's warm-up).
  if (task < 0) return { groups: [], evaluations: 0, complete: true };
  return exploreTask(space, pair, options, () => Date.now() - epoch >= Atomics.load(deadlines, task), resume);
}
