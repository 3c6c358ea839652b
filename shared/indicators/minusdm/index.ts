import { directionalMovement } from '../plusdm/index.ts';
import type { KernelState } from '../state.ts';

/** Bars before MINUS_DM's first value (TA-Lib: period - 1, or 1 for period 1). @internal */
export function minusDmLookback(period = 14): number {
  return period > 1 ? period - 1 : 1;
}

/** Wilder-smoothed -DM, TA-Lib MINUS_DM: the part of each bar's range below the previous low, when it dominates. */
export function minusDm(
  high: Float64Array,
  low: Float64Array,
  period = 14,
  state?: KernelState,
): Float64Array {
  return directionalMovement(high, low, period, 'minus', state);
}
