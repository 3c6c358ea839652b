import { aroonLookback, aroonOscInto } from '../aroon/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before AROONOSC's first value (TA-Lib: period, as AROON). */
export function aroonoscLookback(period = 14): number {
  return aroonLookback(period);
}

/** Aroon oscillator, TA-Lib AROONOSC: Aroon up - Aroon down = 100 / period * (highest-high bar - lowest-low bar). */
export function aroonosc(high: Float64Array, low: Float64Array, period = 14): Float64Array {
  // Same window (period + 1 bars) and latest-wins ties as AROON; TA-Lib's simplified product form
  // factor * (index difference) is used so values are bit-identical rather than up - down.
  checkPeriod('aroonosc', period, 2);
  const out = nanPrefixArray(high.length, period);
  // Up and down land in `out` too, each overwritten by the bar's oscillator (see aroonOscInto).
  aroonOscInto(high, low, period, out, out, out);
  return out;
}
