import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before WMA's first value (TA-Lib: period - 1). @internal */
export function wmaLookback(period: number): number {
  return period - 1;
}

/** Linearly weighted moving average (weights 1..period, newest heaviest), TA-Lib WMA. */
export function wma(values: Float64Array, period: number, state?: KernelState): Float64Array {
  checkPeriod('wma', period);
  const n = values.length;
  if (n < period && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN).put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period - 1);
  const divider = (period * (period + 1)) / 2;
  // TA-Lib's O(1) update: periodSum is the weighted sum, periodSub the plain sum that shifts every weight down.
  let periodSum = 0;
  let periodSub = 0;
  let trailingValue = 0;
  let i = period - 1;
  if (state?.resuming) {
    periodSum = state.take();
    periodSub = state.take();
    trailingValue = state.take();
    i = state.at + 1;
  } else {
    for (let j = 0; j < period - 1; j++) {
      periodSub += values[j]!;
      periodSum += values[j]! * (j + 1);
    }
  }
  let trailing = i - period + 1;
  // Unrolled by two (the same steps in the same order): fewer loop checks around the chains of additions.
  for (; i + 1 < n; i += 2) {
    let v = values[i]!;
    periodSub += v;
    periodSub -= trailingValue;
    periodSum += v * period;
    trailingValue = values[trailing++]!;
    out[i] = periodSum / divider;
    periodSum -= periodSub;
    v = values[i + 1]!;
    periodSub += v;
    periodSub -= trailingValue;
    periodSum += v * period;
    trailingValue = values[trailing++]!;
    out[i + 1] = periodSum / divider;
    periodSum -= periodSub;
  }
  for (; i < n; i++) {
    const v = values[i]!;
    periodSub += v;
    periodSub -= trailingValue;
    periodSum += v * period;
    trailingValue = values[trailing++]!;
    out[i] = periodSum / divider;
    periodSum -= periodSub;
  }
  state?.put(periodSum).put(periodSub).put(trailingValue);
  return out;
}
