// Overfitting statistics of a search (Bailey & López de Prado): the Sharpe ratio that the best of N
// noise trials reaches by luck, the deflated Sharpe ratio that discounts it, and the probability of
// backtest overfitting by combinatorially symmetric cross-validation (CSCV).

import { moments, normalQuantile, probabilisticSharpe } from '../engine/metrics.ts';

const EULER_GAMMA = 0.5772156649015329;

/** Expected maximum of N independent standard normals: (1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)). */
export function expectedMaxNormal(trials: number): number {
  if (trials < 1) return Number.NaN;
  if (trials === 1) return 0;
  return (
    (1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) +
    EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E))
  );
}

/** SR0 = √V·E[max of N standard normals]: the Sharpe the best of N trials reaches with no skill. */
export function noiseSharpe(trials: number, sharpeVariance: number): number {
  return Math.sqrt(sharpeVariance) * expectedMaxNormal(trials);
}

/** What the deflated Sharpe ratio reads; every Sharpe is per period, as is the trials' variance. */
export interface DeflatedSharpeInput {
  /** Per-period Sharpe ratio of the selected trial. */
  sharpe: number;
  /** Periods in the selected trial's return series. */
  periods: number;
  skewness: number;
  /** Raw kurtosis (3 for a normal distribution). */
  kurtosis: number;
  /** Number of trials tried, the selected one included. */
  trials: number;
  /** Variance of the trials' per-period Sharpe ratios. */
  sharpeVariance: number;
}

/** Deflated Sharpe ratio: PSR(SR0), the probability that the selected trial's true Sharpe beats the best noise trial's. */
export function deflatedSharpe(input: DeflatedSharpeInput): number {
  const sr0 = noiseSharpe(input.trials, input.sharpeVariance);
  return probabilisticSharpe(input.sharpe, sr0, input.periods, input.skewness, input.kurtosis);
}

/**
 * Deflated Sharpe of a short per-period series with Sharpe `sharpe`, counting `trials` trials whose
 * Sharpe ratios vary by `sharpeVariance`; NaN without a Sharpe. A series too short or flat for its
 * higher moments is read as normal (skewness 0, kurtosis 3).
 */
export function seriesDsr(
  series: readonly number[],
  sharpe: number,
  count: { trials: number; sharpeVariance: number },
): number {
  if (!Number.isFinite(sharpe)) return Number.NaN;
  const { skewness, kurtosis } = moments(series);
  return deflatedSharpe({
    sharpe,
    periods: series.length,
    skewness: Number.isFinite(skewness) ? skewness : 0,
    kurtosis: Number.isFinite(kurtosis) ? kurtosis : 3,
    trials: count.trials,
    sharpeVariance: count.sharpeVariance,
  });
}

/** Per-period Sharpe (mean over sample standard deviation) from a sum and a sum of squares over `n` periods. */
function sharpeOfSums(sum: number, squares: number, n: number): number {
  const m = sum / n;
  const variance = (squares - n * m * m) / (n - 1);
  // A flat series has no risk to divide by: rank it by its mean alone, in units far above any Sharpe.
  return variance > 1e-300 ? m / Math.sqrt(variance) : m === 0 ? 0 : Math.sign(m) * 1e12;
}

/** Every way to choose `k` of `n` indices, in lexicographic order. */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= n - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

/** Result of CSCV: the PBO and the logit λ of every split. */
export interface PboResult {
  pbo: number;
  logits: Float64Array;
}

/**
 * Probability of backtest overfitting by CSCV: the T periods of N trials' returns (one column per
 * trial) are cut into `blocks` equal blocks (S even, the T mod S last periods dropped); for each of the
 * C(S, S/2) in-sample halves, the in-sample best trial (by Sharpe) gets its out-of-sample rank among the
 * N (1 the worst), ω = rank/(N + 1), λ = ln(ω/(1 − ω)); PBO is the share of splits with λ ≤ 0.
 * Five daily results per variation are too few to split, so the weekly search does not call it yet: it
 * is for the selection over longer track records (group selection, lifecycle). @internal
 */
export function probabilityOfOverfitting(columns: readonly Float64Array[], blocks: number): PboResult {
  const n = columns.length;
  const t = n ? columns[0]!.length : 0;
  if (blocks < 2 || blocks % 2 !== 0)
    throw new RangeError(`CSCV needs an even number of blocks, got ${blocks}`);
  if (n < 2) throw new RangeError('CSCV needs at least 2 trials');
  if (columns.some((c) => c.length !== t))
    throw new RangeError('CSCV needs every trial over the same periods');
  const size = Math.floor(t / blocks);
  if (size < 2)
    throw new RangeError(`CSCV needs at least 2 periods per block (${t} periods, ${blocks} blocks)`);
  // Per trial and block, the sum and the sum of squares: a split's Sharpe then costs S additions.
  const sums = new Float64Array(n * blocks);
  const squares = new Float64Array(n * blocks);
  for (let j = 0; j < n; j++)
    for (let b = 0; b < blocks; b++)
      for (let r = b * size; r < (b + 1) * size; r++) {
        const x = columns[j]![r]!;
        const at = j * blocks + b;
        sums[at] = sums[at]! + x;
        squares[at] = squares[at]! + x * x;
      }
  const splits = combinations(blocks, blocks / 2);
  const logits = new Float64Array(splits.length);
  const half = (blocks / 2) * size;
  const inSample = new Uint8Array(blocks);
  const outSample = new Float64Array(n);
  let overfit = 0;
  splits.forEach((chosen, s) => {
    inSample.fill(0);
    for (const b of chosen) inSample[b] = 1;
    let best = 0;
    let bestIs = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) {
      let isSum = 0;
      let isSq = 0;
      let oosSum = 0;
      let oosSq = 0;
      for (let b = 0; b < blocks; b++) {
        const at = j * blocks + b;
        if (inSample[b]) {
          isSum += sums[at]!;
          isSq += squares[at]!;
        } else {
          oosSum += sums[at]!;
          oosSq += squares[at]!;
        }
      }
      const is = sharpeOfSums(isSum, isSq, half);
      outSample[j] = sharpeOfSums(oosSum, oosSq, half);
      if (is > bestIs) {
        bestIs = is;
        best = j;
      }
    }
    // Rank 1..N from the worst out-of-sample; ties share the mean of their ranks.
    let below = 0;
    let equal = 0;
    for (let j = 0; j < n; j++) {
      if (outSample[j]! < outSample[best]!) below++;
      else if (outSample[j] === outSample[best]) equal++;
    }
    const rank = below + (equal + 1) / 2;
    const omega = rank / (n + 1);
    logits[s] = Math.log(omega / (1 - omega));
    if (logits[s]! <= 0) overfit++;
  });
  return { pbo: overfit / splits.length, logits };
}
