import { checkPeriod, nanArray } from '../rolling.ts';

/** Bars before rollingBeta's first value on gap-free input (period - 1; a leading NaN adds its bars). */
export function rollingBetaLookback(period: number): number {
  return period - 1;
}

/** Rolling beta: sample cov(asset, bench) / sample var(bench) per `period` bars; NaN on NaN or flat bench. */
export function rollingBeta(
  assetReturns: Float64Array,
  benchReturns: Float64Array,
  period: number,
): Float64Array {
  return rollingComoment('rollingBeta', assetReturns, benchReturns, period, 'beta');
}

/** Bars before rollingCorrelation's first value on gap-free inputs (period - 1). */
export function rollingCorrelationLookback(period: number): number {
  return period - 1;
}

/** Rolling Pearson correlation over `period` bars; NaN on a NaN in the window or a flat series. */
export function rollingCorrelation(a: Float64Array, b: Float64Array, period: number): Float64Array {
  return rollingComoment('rollingCorrelation', a, b, period, 'correlation');
}

function rollingComoment(
  name: string,
  a: Float64Array,
  b: Float64Array,
  period: number,
  pick: 'beta' | 'correlation',
): Float64Array {
  // Two passes per window around the window means, O(n * period). A flat series is found by an equality scan,
  // not by a variance below some epsilon, so a window of identical returns (a halted benchmark) is exactly
  // NaN. The sample (n - 1) normalisation cancels in both ratios.
  checkPeriod(name, period, 2);
  if (a.length !== b.length)
    throw new RangeError(`${name}: inputs differ in length (${a.length} vs ${b.length})`);
  const n = a.length;
  const out = nanArray(n);
  for (let i = period - 1; i < n; i++) {
    const start = i - period + 1;
    const firstA = a[start]!;
    const firstB = b[start]!;
    let sumA = 0;
    let sumB = 0;
    let flatA = true;
    let flatB = true;
    for (let j = start; j <= i; j++) {
      sumA += a[j]!;
      sumB += b[j]!;
      if (a[j] !== firstA) flatA = false;
      if (b[j] !== firstB) flatB = false;
    }
    if (Number.isNaN(sumA + sumB) || flatB || (pick === 'correlation' && flatA)) continue;
    const meanA = sumA / period;
    const meanB = sumB / period;
    let cov = 0;
    let varA = 0;
    let varB = 0;
    for (let j = start; j <= i; j++) {
      const da = a[j]! - meanA;
      const db = b[j]! - meanB;
      cov += da * db;
      varA += da * da;
      varB += db * db;
    }
    // Not flat means varB > 0 unless the deviations underflow; the guards keep that case NaN too.
    if (pick === 'beta') {
      if (varB > 0) out[i] = cov / varB;
    } else if (varA * varB > 0) {
      out[i] = Math.max(-1, Math.min(1, cov / Math.sqrt(varA * varB)));
    }
  }
  return out;
}
