import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before linRegR2's first value (period - 1). @internal */
export function linRegR2Lookback(period: number): number {
  return period - 1;
}

/** Trend fit: squared correlation of close with bar index over `period` bars (OLS R²); NaN if flat. */
export function linRegR2(close: Float64Array, period: number): Float64Array {
  // Two passes per window around its mean, O(n * period): running sums of y² lose most digits at price
  // levels far above the window's spread. A flat window (`period` identical closes) is exactly NaN.
  checkPeriod('linRegR2', period, 2);
  const n = close.length;
  const out = nanPrefixArray(n, period - 1);
  const xMean = (period - 1) / 2;
  const sxx = (period * (period * period - 1)) / 12; // Σ (k - xMean)² for k = 0..period-1
  // run: how many bars up to i hold the same close (a NaN ends a run, as it equals nothing); the window is
  // flat when the run spans it.
  let run = 0;
  for (let i = 0; i < period - 1 && i < n; i++) run = i > 0 && close[i] === close[i - 1] ? run + 1 : 1;
  let i = period - 1;
  // Two windows at a time: each sum still adds its window's bars oldest first, but the two independent
  // chains of additions overlap in the CPU.
  for (; i + 1 < n; i += 2) {
    const start = i - period + 1;
    let sum0 = 0;
    let sum1 = 0;
    for (let j = start; j <= i; j++) {
      sum0 += close[j]!;
      sum1 += close[j + 1]!;
    }
    const yMean0 = sum0 / period;
    const yMean1 = sum1 / period;
    let sxy0 = 0;
    let syy0 = 0;
    let sxy1 = 0;
    let syy1 = 0;
    for (let j = start; j <= i; j++) {
      const x = j - start - xMean;
      const dy0 = close[j]! - yMean0;
      sxy0 += x * dy0;
      syy0 += dy0 * dy0;
      const dy1 = close[j + 1]! - yMean1;
      sxy1 += x * dy1;
      syy1 += dy1 * dy1;
    }
    run = close[i] === close[i - 1] ? run + 1 : 1;
    out[i] = run >= period || Number.isNaN(sum0) ? Number.NaN : Math.min(1, (sxy0 * sxy0) / (sxx * syy0));
    run = close[i + 1] === close[i] ? run + 1 : 1;
    out[i + 1] = run >= period || Number.isNaN(sum1) ? Number.NaN : Math.min(1, (sxy1 * sxy1) / (sxx * syy1));
  }
  for (; i < n; i++) {
    const start = i - period + 1;
    let sum = 0;
    for (let j = start; j <= i; j++) sum += close[j]!;
    const yMean = sum / period;
    let sxy = 0;
    let syy = 0;
    for (let j = start; j <= i; j++) {
      const dy = close[j]! - yMean;
      sxy += (j - start - xMean) * dy;
      syy += dy * dy;
    }
    run = close[i] === close[i - 1] ? run + 1 : 1;
    out[i] = run >= period || Number.isNaN(sum) ? Number.NaN : Math.min(1, (sxy * sxy) / (sxx * syy));
  }
  return out;
}
