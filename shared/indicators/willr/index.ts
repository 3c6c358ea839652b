import { checkPeriod, nanArray, rollingExtreme } from '../rolling.ts';

/** Bars before WILLR's first value (TA-Lib: period - 1). */
export function willrLookback(period: number): number {
  return period - 1;
}

/** Williams %R, TA-Lib WILLR: -100 * (highest high - close) / (high - low range), 0 when the range is 0. */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('willr', period, 2);
  const n = close.length;
  const out = nanArray(n);
  if (n < period) return out;
  const highest = rollingExtreme(high, period, 'max');
  const lowest = rollingExtreme(low, period, 'min');
  for (let i = period - 1; i < n; i++) {
    const diff = (highest[i]! - lowest[i]!) / -100;
    out[i] = diff !== 0 ? (highest[i]! - close[i]!) / diff : 0;
  }
  return out;
}
