import {
  checkPeriod,
  LONG_WINDOW,
  latestMaxIndex,
  latestMinIndex,
  nanPrefixArray,
  rollingExtremeInto,
} from '../rolling.ts';

/** Upper, lower and middle Donchian channel line, aligned with the input. */
export interface DonchianResult {
  upper: Float64Array;
  lower: Float64Array;
  middle: Float64Array;
}

/** Bars before the Donchian channel's first value (period - 1: the window includes the current bar). */
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
  if (low.length !== n || period >= LONG_WINDOW || !trackDonchian(upper, lower, middle, high, low, period)) {
    // Long windows take block extremes line by line; a NaN (or misaligned inputs) the NaN-safe path
    // (rolling.ts).
    rollingExtremeInto(upper, high, period, 'max');
    rollingExtremeInto(lower, low, period, 'min');
    for (let i = period - 1; i < n; i++) middle[i] = (upper[i]! + lower[i]!) / 2;
  }
  return { upper, lower, middle };
}

/** The three lines over NaN-free highs and lows in one loop; false, having stopped, on a NaN. */
function trackDonchian(
  upper: Float64Array,
  lower: Float64Array,
  middle: Float64Array,
  high: Float64Array,
  low: Float64Array,
  period: number,
): boolean {
  const n = high.length;
  let hiIdx = -1;
  let highest = 0;
  let loIdx = -1;
  let lowest = 0;
  for (let today = period - 1, trailing = 0; today < n; today++, trailing++) {
    if (hiIdx < trailing) {
      hiIdx = latestMaxIndex(high, trailing, today);
      if (hiIdx < 0) return false;
      highest = high[hiIdx]!;
    } else {
      const v = high[today]!;
      if (v >= highest) {
        hiIdx = today;
        highest = v;
      } else if (Number.isNaN(v)) {
        return false;
      }
    }
    if (loIdx < trailing) {
      loIdx = latestMinIndex(low, trailing, today);
      if (loIdx < 0) return false;
      lowest = low[loIdx]!;
    } else {
      const v = low[today]!;
      if (v <= lowest) {
        loIdx = today;
        lowest = v;
      } else if (Number.isNaN(v)) {
        return false;
      }
    }
    upper[today] = highest;
    lower[today] = lowest;
    middle[today] = (highest + lowest) / 2;
  }
  return true;
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
