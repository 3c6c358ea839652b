import {
  checkPeriod,
  LONG_WINDOW,
  nanPrefixArray,
  rollingExtremeIndices,
  rollingExtremeInto,
} from '../rolling.ts';

/** Upper, lower and middle Donchian channel line, aligned with the input. */
export interface DonchianResult {
  upper: Float64Array;
  lower: Float64Array;
  middle: Float64Array;
}

/**
 * Bars before the Donchian channel's first value (period - 1: the window includes the current bar).
 * @internal
 */
export function donchianLookback(period: number): number {
  return period - 1;
}

/** Donchian channel: highest high and lowest low of the last `period` bars (today included), and midpoint. */
export function donchian(high: Float64Array, low: Float64Array, period = 20): DonchianResult {
  // Including today is ChartSchool's and the ta library's default; a breakout rule that needs yesterday's
  // channel reads the previous bar. Upper and lower equal MAX(high) and MIN(low); both are tracked in one
  // loop as TA-Lib tracks them (rolling.ts).
  checkPeriod('donchian', period);
  const n = high.length;
  const upper = nanPrefixArray(n, period - 1);
  const lower = nanPrefixArray(low.length, period - 1);
  const middle = nanPrefixArray(n, period - 1);
  if (low.length === n && period < LONG_WINDOW) {
    const { high: hiIdx, low: loIdx } = rollingExtremeIndices(high, low, period);
    for (let i = period - 1; i < n; i++) {
      const highest = high[hiIdx[i]!]!;
      const lowest = low[loIdx[i]!]!;
      upper[i] = highest;
      lower[i] = lowest;
      middle[i] = (highest + lowest) / 2;
    }
  } else {
    // Long windows take block extremes line by line; misaligned inputs each line by itself (rolling.ts).
    rollingExtremeInto(upper, high, period, 'max');
    rollingExtremeInto(lower, low, period, 'min');
    for (let i = period - 1; i < n; i++) middle[i] = (upper[i]! + lower[i]!) / 2;
  }
  return { upper, lower, middle };
}

/** Where close sits in a channel: (close - lower) / (upper - lower), 0 at lower, 1 at upper; NaN if equal. */
export function channelPosition(close: Float64Array, upper: Float64Array, lower: Float64Array): Float64Array {
  // Works for any channel (Donchian, Keltner, Bollinger's %B); NaN wherever the channel is undefined or
  // has no width.
  const n = close.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const width = upper[i]! - lower[i]!;
    out[i] = width > 0 ? (close[i]! - lower[i]!) / width : Number.NaN;
  }
  return out;
}
