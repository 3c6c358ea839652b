import type { KernelState } from '../state.ts';

/** Bars before OBV's first value (TA-Lib: 0). @internal */
export function obvLookback(): number {
  return 0;
}

/** On-balance volume, TA-Lib OBV: the first bar's volume, then ± each volume as the close rises or falls. */
export function obv(close: Float64Array, volume: Float64Array, state?: KernelState): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  if (n === 0 && !state?.resuming) {
    state?.put(Number.NaN);
    return out;
  }
  let total: number;
  let first = 1;
  if (state?.resuming) {
    total = state.take();
    first = state.at + 1;
  } else {
    total = volume[0]!;
    out[0] = total;
  }
  for (let i = first; i < n; i++) {
    if (close[i]! > close[i - 1]!) total += volume[i]!;
    else if (close[i]! < close[i - 1]!) total -= volume[i]!;
    out[i] = total;
  }
  state?.put(total);
  return out;
}
