import { ad } from '../ad/index.ts';
import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before ADOSC's first value (TA-Lib: max(fast, slow) - 1). */
export function adoscLookback(fast = 3, slow = 10): number {
  return Math.max(fast, slow) - 1;
}

/**
 * Chaikin A/D oscillator, TA-Lib ADOSC: EMA(fast) - EMA(slow) of the A/D line, both seeded with its first value.
 * @internal
 */
export function adosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  fast = 3,
  slow = 10,
): Float64Array {
  // Unlike TA-Lib's EMA, these EMAs start from the first A/D value (no SMA seed) and use k*x + (1-k)*prev.
  // The periods are not swapped: ADOSC(10, 3) is EMA(10) - EMA(3), as in TA-Lib.
  checkPeriod('adosc fast', fast, 2);
  checkPeriod('adosc slow', slow, 2);
  const n = close.length;
  const begin = adoscLookback(fast, slow);
  if (n <= begin) return nanArray(n);
  return adoscOfAd(ad(high, low, close, volume), fast, slow);
}

/** ADOSC from the A/D line already computed (ad(high, low, close, volume)): adosc's values. */
export function adoscOfAd(line: Float64Array, fast = 3, slow = 10, state?: KernelState): Float64Array {
  checkPeriod('adosc fast', fast, 2);
  checkPeriod('adosc slow', slow, 2);
  const n = line.length;
  const begin = adoscLookback(fast, slow);
  if (n <= begin && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, begin);
  const fastK = 2 / (fast + 1);
  const fastRest = 1 - fastK;
  const slowK = 2 / (slow + 1);
  const slowRest = 1 - slowK;
  let fastEma = line[0]!;
  let slowEma = fastEma;
  let first = 1;
  if (state?.resuming) {
    fastEma = state.take();
    slowEma = state.take();
    first = state.at + 1;
  }
  for (let i = first; i < n; i++) {
    const v = line[i]!;
    fastEma = fastK * v + fastRest * fastEma;
    slowEma = slowK * v + slowRest * slowEma;
    if (i >= begin) out[i] = fastEma - slowEma;
  }
  state?.put(fastEma).put(slowEma);
  return out;
}
