import { type KernelState, resumeFrom } from '../state.ts';

/** Bars before drawdown's first value (0: the first bar is its own peak). @internal */
export function drawdownLookback(): number {
  return 0;
}

/** Drawdown: close / highest close so far - 1 (0 at a new high, < 0 under it); NaN until that peak is > 0. */
export function drawdown(close: Float64Array, state?: KernelState): Float64Array {
  // `c > peak` skips NaN closes, so one missing bar does not erase the peak.
  const out = new Float64Array(close.length);
  let peak = state?.resuming ? state.take() : 0;
  for (let i = resumeFrom(state, 0); i < close.length; i++) {
    const c = close[i]!;
    if (c > peak) peak = c;
    out[i] = peak > 0 ? c / peak - 1 : Number.NaN;
  }
  state?.put(peak);
  return out;
}
