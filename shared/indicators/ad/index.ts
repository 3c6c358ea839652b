import { type KernelState, resumeFrom } from '../state.ts';

/** Bars before AD's first value (TA-Lib: 0). @internal */
export function adLookback(): number {
  return 0;
}

/** Chaikin accumulation/distribution line, TA-Lib AD: running sum of ((c-l) - (h-c)) / (h-l) * volume. */
export function ad(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  state?: KernelState,
): Float64Array {
  // A bar without range (high <= low) adds nothing, as in TA-Lib.
  const n = close.length;
  const out = new Float64Array(n);
  let total = state?.resuming ? state.take() : 0;
  for (let i = resumeFrom(state, 0); i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const range = h - l;
    if (range > 0) {
      const c = close[i]!;
      total += ((c - l - (h - c)) / range) * volume[i]!;
    }
    out[i] = total;
  }
  state?.put(total);
  return out;
}
