import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';

/** Bars before WMA's first value (TA-Lib: period - 1). @internal */
export function wmaLookback(period: number): number {
  return period - 1;
}

/** Linearly weighted moving average (weights 1..period, newest heaviest), TA-Lib WMA. */
export function wma(values: Float64Array, period: number): Float64Array {
  checkPeriod('wma', period);
  const n = values.length;
  if (n < period) return nanArray(n);
  const out = nanPrefixArray(n, period - 1);
  const divider = (period * (period + 1)) / 2;
  // TA-Lib's O(1) update: periodSum is the weighted sum, periodSub the plain sum that shifts every weight down.
  let periodSum = 0;
  let periodSub = 0;
  for (let i = 0; i < period - 1; i++) {
    periodSub += values[i]!;
    periodSum += values[i]! * (i + 1);
  }
  let trailingValue = 0;
  let trailing = 0;
  let i = period - 1;
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
  return out;
}
