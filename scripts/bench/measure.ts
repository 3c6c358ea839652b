/**
 * Fastest milliseconds of each pass, over `rounds` rounds that run every pass once, after an untimed
 * warm-up round. Interleaving spreads a burst of load from other processes over all passes instead of
 * spoiling every run of one.
 */
export function bestOfRounds(passes: readonly (() => void)[], rounds: number): number[] {
  for (const pass of passes) pass();
  const best = passes.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < rounds; r++) {
    passes.forEach((pass, i) => {
      const t0 = performance.now();
      pass();
      best[i] = Math.min(best[i]!, performance.now() - t0);
    });
  }
  return best;
}

/** Fastest and median milliseconds of `runs` timed passes, after one untimed pass that warms the JIT. */
export function timings(runs: number, pass: () => void): { best: number; median: number } {
  pass();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    pass();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { best: times[0]!, median: times[Math.floor(times.length / 2)]! };
}

// Near zero (a MACD histogram crossing, ROC of a flat week) relative differences are noise; below this
// magnitude the difference is taken as absolute.
const RELATIVE_FLOOR = 1e-9;

/**
 * Largest relative difference between our output and a peer's where the peer has values: `peer[k]` is
 * bar `start + k`, and only bars from `from` on count. A bar defined by one side only counts as Infinity.
 */
export function maxRelDiff(ours: Float64Array, peer: ArrayLike<number>, start: number, from = 0): number {
  let worst = 0;
  for (let i = Math.max(start, from, 0); i < ours.length; i++) {
    const a = ours[i]!;
    const b = peer[i - start]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) return Number.POSITIVE_INFINITY;
      continue;
    }
    const diff = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), RELATIVE_FLOOR);
    if (diff > worst) worst = diff;
  }
  return worst;
}

/** The first bar with a value (the lookback), or the length when there is none. */
export function firstDefined(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) return i;
  return values.length;
}

/** A measurement, or why it could not be made (a peer that is not built, a database that did not start). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * The machine's calibration: a fixed single-core float loop (10 million steps of an EMA recurrence),
 * best of 5, so figures from different machines or loads can be read against it.
 */
export function calibrationMs(): number {
  const xs = new Float64Array(10_000_000);
  for (let i = 0; i < xs.length; i++) xs[i] = (i % 1000) * 0.001;
  const { best } = timings(5, () => {
    let ema = 0;
    for (let i = 0; i < xs.length; i++) ema += 0.1 * (xs[i]! - ema);
    if (ema < 0) throw new Error('unreachable: keeps the loop from being optimised away');
  });
  return best;
}
