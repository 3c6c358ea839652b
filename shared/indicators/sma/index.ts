import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before SMA's first value (TA-Lib: period - 1). @internal */
export function smaLookback(period: number): number {
  return period - 1;
}

/** Simple moving average, TA-Lib SMA: NaN before `period - 1`. */
export function sma(values: Float64Array, period: number, state?: KernelState): Float64Array {
  checkPeriod('sma', period);
  const out = nanPrefixArray(values.length, period - 1);
  smaInto(out, values, 0, period, state);
  return out;
}

/**
 * Writes the SMA of `values[start..]` into `out[start + period - 1..]`, leaving the rest untouched; with a
 * resuming `state`, from bar `state.at + 1` on.
 */
export function smaInto(
  out: Float64Array,
  values: Float64Array,
  start: number,
  period: number,
  state?: KernelState,
): void {
  // A start other than 0 smooths a series defined only from `start` on, as TA-Lib's STOCH does.
  const n = values.length;
  // TA-Lib's running sum (add the new value, divide, then drop the trailing one) keeps results bit-identical.
  let total = 0;
  let i: number;
  if (state?.resuming) {
    total = state.take();
    i = state.at + 1;
  } else {
    if (n - start < period) {
      state?.put(Number.NaN);
      return;
    }
    for (let j = start; j < start + period - 1; j++) total += values[j]!;
    i = start + period - 1;
  }
  let trailing = i - period + 1;
  // Unrolled by two (the same steps in the same order): fewer loop checks around the chain of additions.
  for (; i + 1 < n; i += 2) {
    total += values[i]!;
    out[i] = total / period;
    total -= values[trailing++]!;
    total += values[i + 1]!;
    out[i + 1] = total / period;
    total -= values[trailing++]!;
  }
  for (; i < n; i++) {
    total += values[i]!;
    out[i] = total / period;
    total -= values[trailing++]!;
  }
  state?.put(total);
}
