import { nanArray } from '../rolling.ts';

/** Bars before TRANGE's first value (TA-Lib: 1, it needs the previous close). */
export function trangeLookback(): number {
  return 1;
}

/** True range, TA-Lib TRANGE: the largest of high-low, |high-prev close| and |low-prev close|. */
export function trange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  for (let i = 1; i < n; i++) out[i] = trueRange(high[i]!, low[i]!, close[i - 1]!);
  return out;
}

/** One bar's true range, in TA-Lib's comparison order (shared with ATR, NATR and the ADX family). */
export function trueRange(high: number, low: number, prevClose: number): number {
  let greatest = high - low;
  const toHigh = Math.abs(prevClose - high);
  if (toHigh > greatest) greatest = toHigh;
  const toLow = Math.abs(prevClose - low);
  if (toLow > greatest) greatest = toLow;
  return greatest;
}
