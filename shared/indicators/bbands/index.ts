import { checkPeriod, isZeroOrNegative, nanArray, nanPrefixArray } from '../rolling.ts';
import { smaInto } from '../sma/index.ts';
import type { KernelState } from '../state.ts';

/** Upper, middle and lower Bollinger band, aligned with the input. */
export interface BbandsResult {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/** Bars before BBANDS' first value (TA-Lib with an SMA middle: period - 1). @internal */
export function bbandsLookback(period: number): number {
  return period - 1;
}

/** Bollinger bands, TA-Lib BBANDS with an SMA middle: middle ± nbDev * population stddev of the window. */
export function bbands(close: Float64Array, period = 20, nbDev = 2, state?: KernelState): BbandsResult {
  // TA-Lib's stddev is sqrt(mean(x²) - middle²) from a running sum of squares, 0 below its epsilon.
  checkPeriod('bbands', period, 2);
  const n = close.length;
  if (n < period && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN);
    return { upper: nanArray(n), middle: nanArray(n), lower: nanArray(n) };
  }
  const out: BbandsResult = {
    upper: nanPrefixArray(n, period - 1),
    middle: nanPrefixArray(n, period - 1),
    lower: nanPrefixArray(n, period - 1),
  };
  smaInto(out.middle, close, 0, period, state);
  let sumSq = 0;
  let first = period - 1;
  if (state?.resuming) {
    sumSq = state.take();
    first = state.at + 1;
  } else {
    for (let i = 0; i < period - 1; i++) sumSq += close[i]! * close[i]!;
  }
  for (let i = first, trailing = first - period + 1; i < n; i++) {
    sumSq += close[i]! * close[i]!;
    const meanSq = sumSq / period;
    const old = close[trailing++]!;
    sumSq -= old * old;
    const middle = out.middle[i]!;
    const variance = meanSq - middle * middle;
    const dev = (isZeroOrNegative(variance) ? 0 : Math.sqrt(variance)) * nbDev;
    out.upper[i] = middle + dev;
    out.lower[i] = middle - dev;
  }
  state?.put(sumSq);
  return out;
}
