import { adx, adxLookback } from '../adx/index.ts';
import { checkPeriod, nanArray } from '../rolling.ts';

/** Bars before ADXR's first value (TA-Lib: ADX's lookback + period - 1 = 3 * period - 2). */
export function adxrLookback(period = 14): number {
  return adxLookback(period) + period - 1;
}

/** Average directional movement rating, TA-Lib ADXR: (ADX + ADX `period - 1` bars ago) / 2. */
export function adxr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('adxr', period, 2);
  const n = close.length;
  const out = nanArray(n);
  const line = adx(high, low, close, period).adx;
  for (let i = adxrLookback(period); i < n; i++) out[i] = (line[i]! + line[i - (period - 1)]!) / 2;
  return out;
}
