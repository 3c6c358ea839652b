import { isZeroOrNegative } from '../rolling.ts';

/** Bars before BOP's first value (TA-Lib: 0). @internal */
export function bopLookback(): number {
  return 0;
}

/** Balance of power, TA-Lib BOP: (close - open) / (high - low); 0 where the range is zero or negative. */
export function bop(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const range = high[i]! - low[i]!;
    out[i] = isZeroOrNegative(range) ? 0 : (close[i]! - open[i]!) / range;
  }
  return out;
}
