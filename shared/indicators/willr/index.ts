import {
  checkPeriod,
  latestMaxIndex,
  latestMinIndex,
  nanArray,
  nanPrefixArray,
  rollingExtreme,
} from '../rolling.ts';

/** Bars before WILLR's first value (TA-Lib: period - 1). */
export function willrLookback(period: number): number {
  return period - 1;
}

/** Williams %R, TA-Lib WILLR: -100 * (highest high - close) / (high - low range), 0 when the range is 0. */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('willr', period, 2);
  const n = close.length;
  if (n < period) return nanArray(n);
  const out = nanPrefixArray(n, period - 1);
  if (high.length !== n || low.length !== n || !trackWillr(out, high, low, close, period)) {
    // A NaN in the highs or lows (or misaligned inputs): window extremes by the NaN-safe path (rolling.ts).
    const highest = rollingExtreme(high, period, 'max');
    const lowest = rollingExtreme(low, period, 'min');
    for (let i = period - 1; i < n; i++) out[i] = willrValue(highest[i]!, lowest[i]!, close[i]!);
  }
  return out;
}

/**
 * TA-Lib's loop: the lowest low and highest high tracked together, each window rescanned only when its
 * extreme leaves it (rolling.ts). False, having stopped, on a NaN high or low.
 */
function trackWillr(
  out: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): boolean {
  const n = close.length;
  let hiIdx = -1;
  let highest = 0;
  let loIdx = -1;
  let lowest = 0;
  for (let today = period - 1, trailing = 0; today < n; today++, trailing++) {
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
    out[today] = willrValue(highest, lowest, close[today]!);
  }
  return true;
}

function willrValue(highest: number, lowest: number, close: number): number {
  const diff = (highest - lowest) / -100;
  return diff !== 0 ? (highest - close) / diff : 0;
}
