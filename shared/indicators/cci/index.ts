import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';

/** Bars before CCI's first value (TA-Lib: period - 1). */
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
  for (let i = 0; i < n; i++) {
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    ring[i % period] = tp;
    if (i < period - 1) continue;
    let mean = 0;
    for (let j = 0; j < period; j++) mean += ring[j]!;
    mean /= period;
    let meanDev = 0;
    for (let j = 0; j < period; j++) meanDev += Math.abs(ring[j]! - mean);
    const num = tp - mean;
    out[i] = num !== 0 && meanDev !== 0 ? num / (0.015 * (meanDev / period)) : 0;
  }
  return out;
}
