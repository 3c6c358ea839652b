import { checkPeriod, nanPrefixArray, rollingMidpointInto } from '../rolling.ts';

/** Bars before MIDPRICE's first value (TA-Lib: period - 1). @internal */
export function midpriceLookback(period = 14): number {
  return period - 1;
}

/** Midpoint of the highest high and lowest low over `period` bars, TA-Lib MIDPRICE. */
export function midprice(high: Float64Array, low: Float64Array, period = 14): Float64Array {
  checkPeriod('midprice', period, 2);
  const out = nanPrefixArray(high.length, period - 1);
  rollingMidpointInto(out, high, low, period);
  return out;
}
