import { checkPeriod, isZeroOrNegative, nanArray, nanPrefixArray } from '../rolling.ts';

/** Bars before STDDEV's first value (TA-Lib: period - 1). */
export function stddevLookback(period: number): number {
  return period - 1;
}

/** Rolling population standard deviation times `nbDev`, TA-Lib STDDEV. */
export function stddev(values: Float64Array, period: number, nbDev = 1): Float64Array {
  // TA-Lib's sqrt(mean(x²) - mean(x)²) from running sums, 0 where that variance is below its epsilon.
  checkPeriod('stddev', period, 2);
  const n = values.length;
  if (n < period) return nanArray(n);
  const out = nanPrefixArray(n, period - 1);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < period - 1; i++) {
    const v = values[i]!;
    sum += v;
    sumSq += v * v;
  }
  for (let i = period - 1, trailing = 0; i < n; i++) {
    const v = values[i]!;
    sum += v;
    sumSq += v * v;
    const mean = sum / period;
    const variance = sumSq / period - mean * mean;
    const old = values[trailing++]!;
    sum -= old;
    sumSq -= old * old;
    out[i] = isZeroOrNegative(variance) ? 0 : Math.sqrt(variance) * nbDev;
  }
  return out;
}
