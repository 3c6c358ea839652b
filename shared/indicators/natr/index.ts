import { atr } from '../atr/index.ts';
import { isZero, nanPrefixArray } from '../rolling.ts';

/** Bars before NATR's first value (TA-Lib: period). @internal */
export function natrLookback(period: number): number {
  return period;
}

/** Normalised ATR in percent of the close, TA-Lib NATR: 100 * atr / close, 0 where the close is 0. */
export function natr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const out = atr(high, low, close, period);
  for (let i = period; i < out.length; i++) {
    const c = close[i]!;
    out[i] = isZero(c) ? 0 : (out[i]! / c) * 100;
  }
  return out;
}

/** NATR from an ATR line already computed with the same period (atr(...)), into a new array: natr's values. */
export function natrOfAtr(atrLine: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = atrLine.length;
  const out = nanPrefixArray(n, period);
  for (let i = period; i < n; i++) {
    const c = close[i]!;
    out[i] = isZero(c) ? 0 : (atrLine[i]! / c) * 100;
  }
  return out;
}
