import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';
import { trueRange } from '../trange/index.ts';

/** Bars before ATR's first value (TA-Lib: period). */
export function atrLookback(period: number): number {
  return period;
}

/** Average true range, TA-Lib ATR: mean of the first `period` true ranges, then Wilder smoothing. */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
  state?: KernelState,
): Float64Array {
  // Seed on bars 1..period (bar 0 has no previous close), then atr = (prev*(period-1) + tr) / period in
  // TA-Lib's operation order.
  checkPeriod('atr', period);
  const n = close.length;
  if (n <= period && !state?.resuming) {
    state?.put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period);
  let prev: number;
  let first = period + 1;
  if (state?.resuming) {
    prev = state.take();
    first = state.at + 1;
  } else {
    let sum = 0;
    for (let i = 1; i <= period; i++) sum += trueRange(high[i]!, low[i]!, close[i - 1]!);
    prev = sum / period;
    out[period] = prev;
  }
  for (let i = first; i < n; i++) {
    prev *= period - 1;
    prev += trueRange(high[i]!, low[i]!, close[i - 1]!);
    prev /= period;
    out[i] = prev;
  }
  state?.put(prev);
  return out;
}
