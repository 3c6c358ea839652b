import { nanPrefixArray } from '../rolling.ts';

/** Bars before TRANGE's first value (TA-Lib: 1, it needs the previous close). @internal */
export function trangeLookback(): number {
  return 1;
}

/** True range, TA-Lib TRANGE: the largest of high-low, |high-prev close| and |low-prev close|. */
export function trange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = close.length;
  const out = nanPrefixArray(n, 1);
  for (let i = 1; i < n; i++) out[i] = trueRange(high[i]!, low[i]!, close[i - 1]!);
  return out;
}

// Scratch pair for branch-free selection: `pick[+(a > b)]` reads a or b without a conditional jump, which a
// CPU cannot predict on price data (a gap beats the bar's range on about one bar in four).
const pick = new Float64Array(2);

/** One bar's true range, in TA-Lib's comparison order (shared with ATR, NATR and the ADX family). */
export function trueRange(high: number, low: number, prevClose: number): number {
  // if (toHigh > greatest) greatest = toHigh; if (toLow > greatest) greatest = toLow; as selections, so a
  // NaN or a tie leaves `greatest` exactly as the branches would.
  const range = high - low;
  const toHigh = Math.abs(prevClose - high);
  pick[0] = range;
  pick[1] = toHigh;
  const greatest = pick[+(toHigh > range)]!;
  const toLow = Math.abs(prevClose - low);
  pick[0] = greatest;
  pick[1] = toLow;
  return pick[+(toLow > greatest)]!;
}
