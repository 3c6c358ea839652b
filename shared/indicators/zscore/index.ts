import { checkPeriod, nanArray } from '../rolling.ts';
import { sma } from '../sma/index.ts';
import { stddev } from '../stddev/index.ts';

/** Bars before the z-score's first value (period - 1). */
export function zscoreLookback(period: number): number {
  return period - 1;
}

/** Rolling z-score: (close - SMA) / population stddev over `period` bars (bbands'); NaN when stddev is 0. */
export function zscore(close: Float64Array, period = 20): Float64Array {
  // The SMA and TA-Lib STDDEV kernels are exactly bbands' middle and width, so z = 2 on BBANDS(period, 2)'s
  // upper band. TA-Lib's stddev is 0 only below its epsilon, so on many flat series a ~1e-6 rounding residue
  // remains and z is about 0 rather than NaN.
  checkPeriod('zscore', period, 2);
  const mean = sma(close, period);
  const sd = stddev(close, period);
  const out = nanArray(close.length);
  for (let i = period - 1; i < close.length; i++) {
    const s = sd[i]!;
    if (s > 0) out[i] = (close[i]! - mean[i]!) / s;
  }
  return out;
}
