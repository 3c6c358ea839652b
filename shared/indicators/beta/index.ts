import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';

/** Rolling beta and correlation of the same two series, aligned with the input. */
export interface BetaCorrelationResult {
  beta: Float64Array;
  correlation: Float64Array;
}

/**
 * Bars before rollingBeta's first value on gap-free input (period - 1; a leading NaN adds its bars).
 * @internal
 */
export function rollingBetaLookback(period: number): number {
  return period - 1;
}

/**
 * Rolling beta: sample cov(asset, bench) / sample var(bench) per `period` bars; NaN on NaN or flat bench.
 * @internal
 */
export function rollingBeta(
  assetReturns: Float64Array,
  benchReturns: Float64Array,
  period: number,
): Float64Array {
  const out = prepare('rollingBeta', assetReturns, benchReturns, period);
  rollingComoment(assetReturns, benchReturns, period, out, null);
  return out;
}

/** Bars before rollingCorrelation's first value on gap-free inputs (period - 1). @internal */
export function rollingCorrelationLookback(period: number): number {
  return period - 1;
}

/** Rolling Pearson correlation over `period` bars; NaN on a NaN in the window or a flat series. @internal */
export function rollingCorrelation(a: Float64Array, b: Float64Array, period: number): Float64Array {
  const out = prepare('rollingCorrelation', a, b, period);
  rollingComoment(a, b, period, null, out);
  return out;
}

/** rollingBeta(asset, bench) and rollingCorrelation(asset, bench) from one pass, each equal to its kernel's. */
export function rollingBetaCorrelation(
  assetReturns: Float64Array,
  benchReturns: Float64Array,
  period: number,
): BetaCorrelationResult {
  const beta = prepare('rollingBetaCorrelation', assetReturns, benchReturns, period);
  const correlation = nanPrefixArray(beta.length, period - 1);
  rollingComoment(assetReturns, benchReturns, period, beta, correlation);
  return { beta, correlation };
}

function prepare(name: string, a: Float64Array, b: Float64Array, period: number): Float64Array {
  checkPeriod(name, period, 2);
  if (a.length !== b.length)
    throw new RangeError(`${name}: inputs differ in length (${a.length} vs ${b.length})`);
  return a.length < period ? nanArray(a.length) : nanPrefixArray(a.length, period - 1);
}

/**
 * Writes beta and/or correlation (null skips one) for every bar from period - 1 on, NaN where undefined.
 *
 * Two passes per window around the window means, O(n * period): the sums run oldest bar first, so every
 * value is the same whichever other output is computed alongside. A flat series is found by equality (a run
 * of `period` identical values), not by a variance below some epsilon, so a window of identical returns (a
 * halted benchmark) is exactly NaN. The sample (n - 1) normalisation cancels in both ratios.
 */
function rollingComoment(
  a: Float64Array,
  b: Float64Array,
  period: number,
  beta: Float64Array | null,
  correlation: Float64Array | null,
): void {
  const n = a.length;
  // runA/runB: how many bars up to i hold the same value (a NaN ends a run, as it equals nothing).
  let runA = 0;
  let runB = 0;
  for (let i = 0; i < period - 1 && i < n; i++) {
    runA = i > 0 && a[i] === a[i - 1] ? runA + 1 : 1;
    runB = i > 0 && b[i] === b[i - 1] ? runB + 1 : 1;
  }
  let i = period - 1;
  // Two windows at a time: each sum still adds its window's bars oldest first, but the two independent
  // chains of additions overlap in the CPU.
  for (; i + 1 < n; i += 2) {
    const start = i - period + 1;
    let sumA0 = 0;
    let sumB0 = 0;
    let sumA1 = 0;
    let sumB1 = 0;
    for (let j = start; j <= i; j++) {
      sumA0 += a[j]!;
      sumB0 += b[j]!;
      sumA1 += a[j + 1]!;
      sumB1 += b[j + 1]!;
    }
    const meanA0 = sumA0 / period;
    const meanB0 = sumB0 / period;
    const meanA1 = sumA1 / period;
    const meanB1 = sumB1 / period;
    let cov0 = 0;
    let varA0 = 0;
    let varB0 = 0;
    let cov1 = 0;
    let varA1 = 0;
    let varB1 = 0;
    for (let j = start; j <= i; j++) {
      const a0 = a[j]!;
      const b0 = b[j]!;
      const a1 = a[j + 1]!;
      const b1 = b[j + 1]!;
      const da0 = a0 - meanA0;
      const db0 = b0 - meanB0;
      cov0 += da0 * db0;
      varA0 += da0 * da0;
      varB0 += db0 * db0;
      const da1 = a1 - meanA1;
      const db1 = b1 - meanB1;
      cov1 += da1 * db1;
      varA1 += da1 * da1;
      varB1 += db1 * db1;
    }
    runA = a[i] === a[i - 1] ? runA + 1 : 1;
    runB = b[i] === b[i - 1] ? runB + 1 : 1;
    const defined0 = !Number.isNaN(sumA0 + sumB0) && runB < period;
    emit(beta, correlation, i, defined0, runA >= period, cov0, varA0, varB0);
    runA = a[i + 1] === a[i] ? runA + 1 : 1;
    runB = b[i + 1] === b[i] ? runB + 1 : 1;
    const defined1 = !Number.isNaN(sumA1 + sumB1) && runB < period;
    emit(beta, correlation, i + 1, defined1, runA >= period, cov1, varA1, varB1);
  }
  for (; i < n; i++) {
    const start = i - period + 1;
    let sumA = 0;
    let sumB = 0;
    for (let j = start; j <= i; j++) {
      sumA += a[j]!;
      sumB += b[j]!;
    }
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
    runA = i > 0 && a[i] === a[i - 1] ? runA + 1 : 1;
    runB = i > 0 && b[i] === b[i - 1] ? runB + 1 : 1;
    emit(beta, correlation, i, !Number.isNaN(sumA + sumB) && runB < period, runA >= period, cov, varA, varB);
  }
}

function emit(
  beta: Float64Array | null,
  correlation: Float64Array | null,
  i: number,
  defined: boolean,
  flatA: boolean,
  cov: number,
  varA: number,
  varB: number,
): void {
  // Not flat means varB > 0 unless the deviations underflow; the guards keep that case NaN too.
  if (beta) beta[i] = defined && varB > 0 ? cov / varB : Number.NaN;
  if (correlation) {
    correlation[i] =
      defined && !flatA && varA * varB > 0
        ? Math.max(-1, Math.min(1, cov / Math.sqrt(varA * varB)))
        : Number.NaN;
  }
}
