import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before EMA's first value (TA-Lib: period - 1). @internal */
export function emaLookback(period: number): number {
  return period - 1;
}

/** Exponential moving average, TA-Lib EMA: k = 2/(period+1), seeded with the SMA of the first `period` values. */
export function ema(values: Float64Array, period: number, state?: KernelState): Float64Array {
  checkPeriod('ema', period);
  const out = nanPrefixArray(values.length, period - 1);
  emaInto(out, values, 0, period, state);
  return out;
}

/**
 * Writes the SMA-seeded EMA of `values[start..]` into `out[start + period - 1..]`, leaving the rest
 * untouched; with a resuming `state`, from bar `state.at + 1` on.
 */
export function emaInto(
  out: Float64Array,
  values: Float64Array,
  start: number,
  period: number,
  state?: KernelState,
): void {
  // A start other than 0 is how TA-Lib's MACD seeds its fast EMA and its signal line.
  const n = values.length;
  const k = 2 / (period + 1);
  let prev: number;
  let first: number;
  if (state?.resuming) {
    prev = state.take();
    first = state.at + 1;
  } else {
    if (n - start < period) {
      state?.put(Number.NaN);
      return;
    }
    let sum = 0;
    for (let i = start; i < start + period; i++) sum += values[i]!;
    prev = sum / period;
    out[start + period - 1] = prev;
    first = start + period;
  }
  for (let i = first; i < n; i++) {
    // TA-Lib's form ((x - prev) * k + prev), not k*x + (1-k)*prev: same value, same rounding as the reference.
    prev = (values[i]! - prev) * k + prev;
    out[i] = prev;
  }
  state?.put(prev);
}
