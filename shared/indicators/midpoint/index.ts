import { checkPeriod, nanPrefixArray, rollingMidpointInto } from '../rolling.ts';

/** Bars before MIDPOINT's first value (TA-Lib: period - 1). @internal */
export function midpointLookback(period = 14): number {
  return period - 1;
}

/** Midpoint of the highest and lowest value over `period` bars, TA-Lib MIDPOINT. */
export function midpoint(values: Float64Array, period = 14): Float64Array {
  checkPeriod('midpoint', period, 2);
  const out = nanPrefixArray(values.length, period - 1);
  rollingMidpointInto(out, values, values, period);
  return out;
}
