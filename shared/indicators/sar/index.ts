import { nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before SAR's first value (TA-Lib: 1, the first bar only seeds it). @internal */
export function sarLookback(): number {
  return 1;
}

/** Wilder's parabolic stop-and-reverse, TA-Lib SAR (acceleration step and maximum factor). */
export function sar(
  high: Float64Array,
  low: Float64Array,
  acceleration = 0.02,
  maximum = 0.2,
  state?: KernelState,
): Float64Array {
  // TA-Lib's bootstrap: the trade starts short if bar 1 has a positive -DM against bar 0 (the low fell by
  // more than the high rose), otherwise long (including ties). The first SAR is bar 0's low (long) or high
  // (short) and the first extreme point bar 1's high or low. An acceleration above the maximum is capped.
  if (!(acceleration >= 0 && Number.isFinite(acceleration))) {
    throw new RangeError(`sar: acceleration must be a finite number >= 0, got ${acceleration}`);
  }
  if (!(maximum >= 0 && Number.isFinite(maximum))) {
    throw new RangeError(`sar: maximum must be a finite number >= 0, got ${maximum}`);
  }
  const n = high.length;
  if (n < 2 && !state?.resuming) {
    for (let k = 0; k < 6; k++) state?.put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, 1);
  const step = Math.min(acceleration, maximum);
  let af = step;
  let isLong: boolean;
  let ep: number;
  let sarValue: number;
  let newLow: number;
  let newHigh: number;
  let first = 1;
  if (state?.resuming) {
    af = state.take();
    isLong = state.take() === 1;
    ep = state.take();
    sarValue = state.take();
    newLow = state.take();
    newHigh = state.take();
    first = state.at + 1;
  } else {
    const diffP = high[1]! - high[0]!;
    const diffM = low[0]! - low[1]!;
    isLong = !(diffM > 0 && diffP < diffM);
    ep = isLong ? high[1]! : low[1]!;
    sarValue = isLong ? low[0]! : high[0]!;
    // TA-Lib starts with bar 1 as both "yesterday" and "today".
    newLow = low[1]!;
    newHigh = high[1]!;
  }
  for (let i = first; i < n; i++) {
    const prevLow = newLow;
    const prevHigh = newHigh;
    newLow = low[i]!;
    newHigh = high[i]!;
    if (isLong) {
      if (newLow <= sarValue) {
        // Reverse to short: the SAR jumps to the extreme point, kept above both bars' highs.
        isLong = false;
        sarValue = Math.max(ep, prevHigh, newHigh);
        out[i] = sarValue;
        af = step;
        ep = newLow;
        sarValue = sarValue + af * (ep - sarValue);
        sarValue = Math.max(sarValue, prevHigh, newHigh);
      } else {
        out[i] = sarValue;
        if (newHigh > ep) {
          ep = newHigh;
          af += step;
          if (af > maximum) af = maximum;
        }
        sarValue = sarValue + af * (ep - sarValue);
        sarValue = Math.min(sarValue, prevLow, newLow);
      }
    } else if (newHigh >= sarValue) {
      // Reverse to long: the SAR jumps to the extreme point, kept below both bars' lows.
      isLong = true;
      sarValue = Math.min(ep, prevLow, newLow);
      out[i] = sarValue;
      af = step;
      ep = newHigh;
      sarValue = sarValue + af * (ep - sarValue);
      sarValue = Math.min(sarValue, prevLow, newLow);
    } else {
      out[i] = sarValue;
      if (newLow < ep) {
        ep = newLow;
        af += step;
        if (af > maximum) af = maximum;
      }
      sarValue = sarValue + af * (ep - sarValue);
      sarValue = Math.max(sarValue, prevHigh, newHigh);
    }
  }
  state
    ?.put(af)
    .put(isLong ? 1 : 0)
    .put(ep)
    .put(sarValue)
    .put(newLow)
    .put(newHigh);
  return out;
}
