import { checkPeriod, isZeroOrNegative, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before the z-score's first value (period - 1). @internal */
export function zscoreLookback(period: number): number {
  return period - 1;
}

/** Rolling z-score: (close - SMA) / population stddev over `period` bars (bbands'); NaN when stddev is 0. */
export function zscore(close: Float64Array, period = 20, state?: KernelState): Float64Array {
  // The SMA and TA-Lib STDDEV kernels are exactly bbands' middle and width, so z = 2 on BBANDS(period, 2)'s
  // upper band. TA-Lib's stddev is 0 only below its epsilon, so on many flat series a ~1e-6 rounding residue
  // remains and z is about 0 rather than NaN. Both are computed here in one loop: the SMA's running total
  // and STDDEV's running sum take the same steps, so mean and deviation are the kernels' values.
  checkPeriod('zscore', period, 2);
  const n = close.length;
  if (n < period && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period - 1);
  let sum = 0;
  let sumSq = 0;
  let first = period - 1;
  if (state?.resuming) {
    sum = state.take();
    sumSq = state.take();
    first = state.at + 1;
  } else {
    for (let i = 0; i < period - 1; i++) {
      const v = close[i]!;
      sum += v;
      sumSq += v * v;
    }
  }
  for (let i = first, trailing = first - period + 1; i < n; i++) {
    const v = close[i]!;
    sum += v;
    sumSq += v * v;
    const mean = sum / period;
    const variance = sumSq / period - mean * mean;
    const old = close[trailing++]!;
    sum -= old;
    sumSq -= old * old;
    const sd = isZeroOrNegative(variance) ? 0 : Math.sqrt(variance);
    out[i] = sd > 0 ? (v - mean) / sd : Number.NaN;
  }
  state?.put(sum).put(sumSq);
  return out;
}
