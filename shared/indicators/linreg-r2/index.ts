import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before linRegR2's first value (period - 1). */
export function linRegR2Lookback(period: number): number {
  return period - 1;
}

/** Trend fit: squared correlation of close with bar index over `period` bars (OLS R²); NaN if flat. */
export function linRegR2(close: Float64Array, period: number): Float64Array {
  // Two passes per window around its mean, O(n * period): running sums of y² lose most digits at price
  // levels far above the window's spread, and an equality scan makes a flat window exactly NaN.
  checkPeriod('linRegR2', period, 2);
  const n = close.length;
  const out = nanPrefixArray(n, period - 1);
  const xMean = (period - 1) / 2;
  const sxx = (period * (period * period - 1)) / 12; // Σ (k - xMean)² for k = 0..period-1
  for (let i = period - 1; i < n; i++) {
    const start = i - period + 1;
    const first = close[start]!;
    let sum = 0;
    let flat = true;
    for (let j = start; j <= i; j++) {
      const y = close[j]!;
      sum += y;
      if (y !== first) flat = false;
    }
    if (flat || Number.isNaN(sum)) {
      out[i] = Number.NaN;
      continue;
    }
    const yMean = sum / period;
    let sxy = 0;
    let syy = 0;
    for (let j = start; j <= i; j++) {
      const dy = close[j]! - yMean;
      sxy += (j - start - xMean) * dy;
      syy += dy * dy;
    }
    out[i] = Math.min(1, (sxy * sxy) / (sxx * syy));
  }
  return out;
}
