import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before PLUS_DM's first value (TA-Lib: period - 1, or 1 for period 1). @internal */
export function plusDmLookback(period = 14): number {
  return period > 1 ? period - 1 : 1;
}

/** Wilder-smoothed +DM, TA-Lib PLUS_DM: the part of each bar's range above the previous high, when it dominates. */
export function plusDm(
  high: Float64Array,
  low: Float64Array,
  period = 14,
  state?: KernelState,
): Float64Array {
  return directionalMovement(high, low, period, 'plus', state);
}

/** TA-Lib PLUS_DM ('plus') or MINUS_DM ('minus'): summed over the first period-1 moves, then Wilder-smoothed. */
export function directionalMovement(
  high: Float64Array,
  low: Float64Array,
  period: number,
  side: 'plus' | 'minus',
  state?: KernelState,
): Float64Array {
  // The one-bar rule is ADX's: +DM when the high's rise is positive and beats the low's fall, -DM when the
  // low's fall is positive and beats the high's rise, neither on a tie. Period 1 is the raw one-bar DM.
  checkPeriod(side === 'plus' ? 'plusDm' : 'minusDm', period);
  const n = high.length;
  // Every bar from the lookback on is written below.
  const out = nanPrefixArray(n, period > 1 ? period - 1 : 1);
  const plus = side === 'plus';
  const dmAt = (i: number): number => {
    const diffP = high[i]! - high[i - 1]!;
    const diffM = low[i - 1]! - low[i]!;
    if (plus) return diffP > 0 && diffP > diffM ? diffP : 0;
    return diffM > 0 && diffP < diffM ? diffM : 0;
  };
  if (period === 1) {
    for (let i = 1; i < n; i++) out[i] = dmAt(i);
    return out;
  }
  let total = 0;
  let first = period;
  if (state?.resuming) {
    total = state.take();
    first = state.at + 1;
  } else {
    if (n < period) {
      state?.put(Number.NaN);
      return out;
    }
    for (let i = 1; i < period; i++) total += dmAt(i);
    out[period - 1] = total;
  }
  for (let i = first; i < n; i++) {
    // TA-Lib's order: prev - prev/period, then add today's DM.
    total = total - total / period + dmAt(i);
    out[i] = total;
  }
  state?.put(total);
  return out;
}
