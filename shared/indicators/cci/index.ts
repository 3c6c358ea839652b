import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';

/** Bars before CCI's first value (TA-Lib: period - 1). @internal */
export function cciLookback(period: number): number {
  return period - 1;
}

/** Commodity channel index, TA-Lib CCI: (tp - mean tp) / (0.015 * mean deviation of tp), 0 if either is 0. */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period = 20): Float64Array {
  checkPeriod('cci', period, 2);
  const n = close.length;
  if (n < period) return nanArray(n);
  const out = nanPrefixArray(n, period - 1);
  // TA-Lib keeps the window in a circular buffer (bar i in slot i % period) and sums it slot by slot;
  // summing in the same order gives the same rounding, which matters when the numerator is near 0.
  const ring = new Float64Array(period);
  for (let i = 0; i < period - 1; i++) ring[i] = (high[i]! + low[i]! + close[i]!) / 3;
  let i = period - 1;
  // Two bars at a time: bar i + 1's window is bar i's ring with one slot replaced, so both are summed slot by
  // slot in one loop (two independent chains of additions, each in TA-Lib's order).
  for (; i + 1 < n; i += 2) {
    const tp0 = (high[i]! + low[i]! + close[i]!) / 3;
    ring[i % period] = tp0;
    const tp1 = (high[i + 1]! + low[i + 1]! + close[i + 1]!) / 3;
    const slot1 = (i + 1) % period;
    let mean0 = 0;
    let mean1 = 0;
    for (let j = 0; j < period; j++) {
      const r = ring[j]!;
      mean0 += r;
      mean1 += j === slot1 ? tp1 : r;
    }
    mean0 /= period;
    mean1 /= period;
    let meanDev0 = 0;
    let meanDev1 = 0;
    for (let j = 0; j < period; j++) {
      const r = ring[j]!;
      meanDev0 += Math.abs(r - mean0);
      meanDev1 += Math.abs((j === slot1 ? tp1 : r) - mean1);
    }
    ring[slot1] = tp1;
    out[i] = cciValue(tp0 - mean0, meanDev0, period);
    out[i + 1] = cciValue(tp1 - mean1, meanDev1, period);
  }
  for (; i < n; i++) {
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    ring[i % period] = tp;
    let mean = 0;
    for (let j = 0; j < period; j++) mean += ring[j]!;
    mean /= period;
    let meanDev = 0;
    for (let j = 0; j < period; j++) meanDev += Math.abs(ring[j]! - mean);
    out[i] = cciValue(tp - mean, meanDev, period);
  }
  return out;
}

function cciValue(num: number, meanDev: number, period: number): number {
  return num !== 0 && meanDev !== 0 ? num / (0.015 * (meanDev / period)) : 0;
}
