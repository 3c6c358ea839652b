import { checkPeriod, nanArray, nanPrefixArray, rollingExtremeIndices } from '../rolling.ts';

/** Bars before WILLR's first value (TA-Lib: period - 1). @internal */
export function willrLookback(period: number): number {
  return period - 1;
}

/** Williams %R, TA-Lib WILLR: -100 * (highest high - close) / (high - low range), 0 when the range is 0. */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  checkPeriod('willr', period, 2);
  const n = close.length;
  if (n < period) return nanArray(n);
  const out = nanPrefixArray(n, period - 1);
  // TA-Lib's loop: the highest high and lowest low tracked together, each window rescanned only when its
  // extreme leaves it (rolling.ts).
  const { high: hiIdx, low: loIdx } = rollingExtremeIndices(high, low, period);
  for (let i = period - 1; i < n; i++) out[i] = willrValue(high[hiIdx[i]!]!, low[loIdx[i]!]!, close[i]!);
  return out;
}

function willrValue(highest: number, lowest: number, close: number): number {
  const diff = (highest - lowest) / -100;
  return diff !== 0 ? (highest - close) / diff : 0;
}
