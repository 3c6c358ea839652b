import { adx, adxLookback } from '../adx/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before ADXR's first value (TA-Lib: ADX's lookback + period - 1 = 3 * period - 2). */
export function adxrLookback(period = 14): number {
  return adxLookback(period) + period - 1;
}

/** Average directional movement rating, TA-Lib ADXR: (ADX + ADX `period - 1` bars ago) / 2. @internal */
export function adxr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('adxr', period, 2);
  return adxrOfAdx(adx(high, low, close, period).adx, period);
}

/** ADXR from an ADX line already computed with the same period (adx(...).adx): adxr's values, one pass. */
export function adxrOfAdx(adxLine: Float64Array, period = 14, state?: KernelState): Float64Array {
  checkPeriod('adxr', period, 2);
  // Resuming, the state brings back the ADX values the first bars read.
  state?.keep(adxLine, period - 1);
  const n = adxLine.length;
  const start = adxrLookback(period);
  const out = nanPrefixArray(n, start);
  for (let i = start; i < n; i++) out[i] = (adxLine[i]! + adxLine[i - (period - 1)]!) / 2;
  return out;
}
