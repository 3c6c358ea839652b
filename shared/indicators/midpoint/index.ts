import { checkPeriod, nanArray, rollingExtreme } from '../rolling.ts';

/** Bars before MIDPOINT's first value (TA-Lib: period - 1). */
export function midpointLookback(period = 14): number {
  return period - 1;
}

/** Midpoint of the highest and lowest value over `period` bars, TA-Lib MIDPOINT. */
export function midpoint(values: Float64Array, period = 14): Float64Array {
  checkPeriod('midpoint', period, 2);
  const n = values.length;
  const out = nanArray(n);
  const highest = rollingExtreme(values, period, 'max');
  const lowest = rollingExtreme(values, period, 'min');
  for (let i = period - 1; i < n; i++) out[i] = (highest[i]! + lowest[i]!) / 2;
  return out;
}
