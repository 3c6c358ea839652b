import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before VAR's first value (TA-Lib: period - 1). @internal */
export function varianceLookback(period = 5): number {
  return period - 1;
}

/** Rolling population variance, TA-Lib VAR: mean(x²) - mean(x)² over `period` bars (TA-Lib ignores its nbDev). */
export function variance(values: Float64Array, period = 5, state?: KernelState): Float64Array {
  // TA-Lib's running sums, returned unclamped: on a flat series the result is rounding noise around 0 (it can
  // be a tiny negative number), exactly what TA-Lib returns. STDDEV is the kernel that clamps.
  checkPeriod('variance', period);
  const n = values.length;
  if (n < period && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period - 1);
  let sum = 0;
  let sumSq = 0;
  let first = period - 1;
  if (state?.resuming) {
    sum = state.take();
    sumSq = state.take();
    first = state.at + 1;
  } else {
    for (let i = 0; i < period - 1; i++) {
      const v = values[i]!;
      sum += v;
      sumSq += v * v;
    }
  }
  for (let i = first, trailing = first - period + 1; i < n; i++) {
    const v = values[i]!;
    sum += v;
    sumSq += v * v;
    const mean = sum / period;
    const meanSq = sumSq / period;
    const old = values[trailing++]!;
    sum -= old;
    sumSq -= old * old;
    out[i] = meanSq - mean * mean;
  }
  state?.put(sum).put(sumSq);
  return out;
}
