import { checkPeriod, isZero, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';
import { trueRange } from '../trange/index.ts';

/** Bars before ULTOSC's first value (TA-Lib: the longest period). @internal */
export function ultoscLookback(period1 = 7, period2 = 14, period3 = 28): number {
  return Math.max(period1, period2, period3);
}

/** Ultimate oscillator, TA-Lib ULTOSC: 100 * (4*A1 + 2*A2 + A3) / 7, each A the buying pressure / true range sum. */
export function ultosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period1 = 7,
  period2 = 14,
  period3 = 28,
  state?: KernelState,
): Float64Array {
  // Like TA-Lib, the periods are sorted so weight 4 goes to the shortest and 1 to the longest whatever the
  // argument order; a window whose true-range sum is zero (TA-Lib's epsilon) contributes 0.
  checkPeriod('ultosc period1', period1);
  checkPeriod('ultosc period2', period2);
  checkPeriod('ultosc period3', period3);
  const short = Math.min(period1, period2, period3);
  const long = Math.max(period1, period2, period3);
  const mid = period1 + period2 + period3 - short - long;
  const n = close.length;
  const start = long;
  if (n <= start && !state?.resuming) {
    for (let k = 0; k < 6; k++) state?.put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, start);

  // Running sums of buying pressure (a) and true range (b) per window, built in ascending bar order.
  let a1 = 0;
  let b1 = 0;
  let a2 = 0;
  let b2 = 0;
  let a3 = 0;
  let b3 = 0;
  let first = start;
  if (state?.resuming) {
    a1 = state.take();
    b1 = state.take();
    a2 = state.take();
    b2 = state.take();
    a3 = state.take();
    b3 = state.take();
    first = state.at + 1;
  }
  for (let i = start - long + 1; i < first && !state?.resuming; i++) {
    const a = buyingPressure(low, close, i);
    const b = trueRange(high[i]!, low[i]!, close[i - 1]!);
    if (i >= start - short + 1) {
      a1 += a;
      b1 += b;
    }
    if (i >= start - mid + 1) {
      a2 += a;
      b2 += b;
    }
    a3 += a;
    b3 += b;
  }
  for (let i = first; i < n; i++) {
    const a = buyingPressure(low, close, i);
    const b = trueRange(high[i]!, low[i]!, close[i - 1]!);
    a1 += a;
    a2 += a;
    a3 += a;
    b1 += b;
    b2 += b;
    b3 += b;
    let total = 0;
    if (!isZero(b1)) total += 4 * (a1 / b1);
    if (!isZero(b2)) total += 2 * (a2 / b2);
    if (!isZero(b3)) total += a3 / b3;
    out[i] = 100 * (total / 7);
    // Drop the bar leaving each window; its terms are recomputed, the same values TA-Lib kept.
    const t1 = i - short + 1;
    a1 -= buyingPressure(low, close, t1);
    b1 -= trueRange(high[t1]!, low[t1]!, close[t1 - 1]!);
    const t2 = i - mid + 1;
    a2 -= buyingPressure(low, close, t2);
    b2 -= trueRange(high[t2]!, low[t2]!, close[t2 - 1]!);
    const t3 = i - long + 1;
    a3 -= buyingPressure(low, close, t3);
    b3 -= trueRange(high[t3]!, low[t3]!, close[t3 - 1]!);
  }
  state?.put(a1).put(b1).put(a2).put(b2).put(a3).put(b3);
  return out;
}

/** Close minus the true low (the lower of today's low and the previous close). */
function buyingPressure(low: Float64Array, close: Float64Array, i: number): number {
  const prevClose = close[i - 1]!;
  const l = low[i]!;
  return close[i]! - Math.min(l, prevClose);
}
