import { checkPeriod, nanArray, rollingExtreme } from '../rolling.ts';

/** Bars before MIDPRICE's first value (TA-Lib: period - 1). */
export function midpriceLookback(period = 14): number {
  return period - 1;
}

/** Midpoint of the highest high and lowest low over `period` bars, TA-Lib MIDPRICE. */
export function midprice(high: Float64Array, low: Float64Array, period = 14): Float64Array {
  checkPeriod('midprice', period, 2);
  const n = high.length;
  const out = nanArray(n);
  const highest = rollingExtreme(high, period, 'max');
  const lowest = rollingExtreme(low, period, 'min');
  for (let i = period - 1; i < n; i++) out[i] = (highest[i]! + lowest[i]!) / 2;
  return out;
}
