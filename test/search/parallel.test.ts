import { describe, expect, it } from 'vitest';
import { discoverInParallel } from '../../scripts/search-workers.ts';
import { createRng } from '../../shared/providers/demo/generate.ts';
import { runTasks } from '../../shared/search/groups/budget.ts';
import { type GroupSpace, groupTasks } from '../../shared/search/groups/discover.ts';

/** Random picks of `density` over 256 tickers for `algorithms` algorithms × 4 variations. */
function denseSpace(seed: string, density: number, algorithms = 8): GroupSpace {
  const rng = createRng(seed);
  const n = algorithms * 4;
  return {
    tickers: 256,
    words: 8,
    days: 5,
    keys: Array.from({ length: n }, (_, m) => `a${m >> 2}:v=${m & 3}`),
    algorithmOf: Int32Array.from({ length: n }, (_, m) => m >> 2),
    bits: Uint32Array.from({ length: n * 5 * 8 }, () => {
      let w = 0;
      for (let b = 0; b < 32; b++) if (rng.uniform() < density) w |= 1 << b;
      return w >>> 0;
    }),
    returns: Float64Array.from({ length: 5 * 256 }, () => 0.02 * rng.normal()),
  };
}

describe('parallel group discovery (worker threads)', () => {
  it('finds the same groups on 2 workers as one walk in this thread', async () => {
    const space = denseSpace('parallel-same', 0.5);
    const options = { minPicksPerDay: 4, minPositiveDays: 2, top: 30 };
    const one = runTasks(space, groupTasks(space, options), options, Infinity, () => performance.now());
    const many = await discoverInParallel(space, options, { workers: 2, budgetMs: Infinity });
    expect(many.stoppedBy).toBe('complete');
    expect(many.evaluations).toBe(one.evaluations);
    expect(many.groups).toEqual(one.groups);
  }, 60_000);

  it('stops within the budget and keeps the best groups found so far', async () => {
    // 12 algorithms of 4 dense variations: about 2.4e8 groups of up to 10, far more than 4 s can walk
    // (10 algorithms, 5^10 groups, now fit in 4 s).
    const space = denseSpace('parallel-budget', 0.8, 12);
    const options = { minPicksPerDay: 1, minPositiveDays: 0, top: 30 };
    const started = performance.now();
    const cut = await discoverInParallel(space, options, { workers: 2, budgetMs: 4000 });
    const elapsed = performance.now() - started;
    expect(cut.stoppedBy).toBe('budget');
    expect(cut.groups).toHaveLength(30);
    // The pool's start (about 1.5 s on a loaded machine) and teardown are inside the budget; a little
    // slack for the loaded test machine.
    expect(elapsed).toBeLessThan(4000 * 1.1);
  }, 60_000);
});
