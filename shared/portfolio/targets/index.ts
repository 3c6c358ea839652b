// From a ranking to target weights: pick the top N, then weigh them equally, by inverse volatility, or by an
// optimizer (minimum variance, or the most score at a volatility target) over a Ledoit-Wolf covariance.
// Whatever cannot be solved falls back to equal weight with the reason recorded: never an empty book or a throw
// for a ranking that has assets.
import { AppError } from '../../errors/index.ts';
import { ledoitWolf, type Matrix, quadForm, solveCappedQp } from '../optimizer/index.ts';

/** How selected assets are weighted. */
export const WEIGHT_METHODS = ['equal', 'inverse_vol', 'min_variance', 'vol_target'] as const;
export type WeightMethod = (typeof WEIGHT_METHODS)[number];

/** One asset of the ranking with its composite score (null: unranked, never selected). */
export interface RankedAsset {
  asset: string;
  score: number | null;
}

/** A ranked asset that has a score. */
type ScoredAsset = { asset: string; score: number };

/** What the weighting needs beyond the ranking. */
export interface TargetConfig {
  /** How many of the best-scored assets are held. */
  topN: number;
  /** Largest weight of one position (default 1). */
  maxWeight?: number;
  /** Only scores strictly above this are selected (default: any score). */
  minScore?: number;
  /**
   * Per-period (daily) simple returns per asset, oldest first, aligned by index across assets and ending at
   * the decision date; NaN where an asset has no bar. Needed by every method but `equal`.
   */
  returns?: Readonly<Record<string, ArrayLike<number>>>;
  /** Current weights per asset, for the turnover penalty. */
  current?: Readonly<Record<string, number>>;
  /** λ ≥ 0: cost of moving weight, in units of the selected assets' mean variance (default 0). */
  turnoverPenalty?: number;
  /** `vol_target`: annualised volatility the book aims at (e.g. 0.15). */
  targetVol?: number;
  /** Periods per year for annualising (default 252). */
  periodsPerYear?: number;
}

/** One asset's target weight. */
export interface TargetWeight {
  asset: string;
  weight: number;
}

/** Target weights (largest first), the cash left, and why the method was not applied when it was not. */
export interface TargetResult {
  /** The method that produced the weights: the one asked for, or `equal` after a fallback. */
  method: WeightMethod;
  weights: TargetWeight[];
  /** 1 - Σ weights: what stays in cash (vol_target may hold some back). */
  cash: number;
  fallback?: string;
  /** Ex-ante annualised volatility of the weights, where a covariance was estimated. */
  volatility?: number;
  /** Ledoit-Wolf shrinkage intensity used, where a covariance was estimated. */
  shrinkage?: number;
}

const DEFAULT_PERIODS = 252;
// Below this many complete days a covariance says more about noise than about the assets.
const MIN_HISTORY = 20;

/** Best-scored first, ties by asset id; unscored assets and scores at or below `minScore` are left out. */
export function selectTop(
  ranked: readonly RankedAsset[],
  topN: number,
  minScore = Number.NEGATIVE_INFINITY,
): ScoredAsset[] {
  return ranked
    .filter((r): r is ScoredAsset => r.score !== null && r.score > minScore)
    .sort((a, b) =>
      b.score !== a.score ? b.score - a.score : a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0,
    )
    .slice(0, topN);
}

function checkConfig(config: TargetConfig): void {
  if (!Number.isInteger(config.topN) || config.topN < 1)
    throw new AppError('invalid_input', `topN must be a positive integer, got ${config.topN}`);
  const cap = config.maxWeight ?? 1;
  if (!(cap > 0 && cap <= 1)) throw new AppError('invalid_input', `maxWeight must be in (0, 1], got ${cap}`);
  const lambda = config.turnoverPenalty ?? 0;
  if (!(lambda >= 0 && Number.isFinite(lambda)))
    throw new AppError('invalid_input', `turnoverPenalty must be a finite number >= 0, got ${lambda}`);
  const periods = config.periodsPerYear ?? DEFAULT_PERIODS;
  if (!(periods > 0 && Number.isFinite(periods)))
    throw new AppError('invalid_input', `periodsPerYear must be a positive number, got ${periods}`);
  if (config.targetVol !== undefined && !(config.targetVol > 0 && Number.isFinite(config.targetVol)))
    throw new AppError('invalid_input', `targetVol must be a positive number, got ${config.targetVol}`);
}

function result(
  method: WeightMethod,
  assets: readonly string[],
  w: ArrayLike<number>,
  extra: Partial<TargetResult> = {},
): TargetResult {
  const weights = assets
    .map((asset, i) => ({ asset, weight: w[i]! }))
    .sort((a, b) => b.weight - a.weight || (a.asset < b.asset ? -1 : 1));
  const invested = weights.reduce((s, x) => s + x.weight, 0);
  // Residues below 1e-12 are float noise of a fully invested book, not cash.
  const cash = 1 - invested;
  return { method, weights, cash: cash > 1e-12 ? cash : 0, ...extra };
}

function equalWeights(assets: readonly string[], fallback?: string): TargetResult {
  const w = new Float64Array(assets.length).fill(1 / assets.length);
  return result('equal', assets, w, fallback ? { fallback } : {});
}

/** Population stddev of the finite values, NaN with fewer than MIN_HISTORY of them. */
function stddev(values: ArrayLike<number>): number {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumSq += v * v;
  }
  if (n < MIN_HISTORY) return Number.NaN;
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
}

/** Weights ∝ 1/σ, water-filled under the cap: capped names keep the cap, the rest share what is left. */
function inverseVol(assets: readonly string[], config: TargetConfig, cap: number): TargetResult {
  const inv = new Float64Array(assets.length);
  for (let i = 0; i < assets.length; i++) {
    const series = config.returns?.[assets[i]!];
    const sd = series ? stddev(series) : Number.NaN;
    if (!(sd > 0))
      return equalWeights(
        assets,
        `inverse_vol: no volatility for ${assets[i]} (fewer than ${MIN_HISTORY} days, or no movement)`,
      );
    inv[i] = 1 / sd;
  }
  // w_i = min(cap, k / σ_i) with k set by bisection so that Σ w = 1 (feasible since cap × N ≥ 1).
  let lo = 0;
  let hi = 1 / Math.min(...inv);
  const sumAt = (k: number) => inv.reduce((s, v) => s + Math.min(cap, k * v), 0);
  for (let i = 0; i < 200 && sumAt(hi) < 1; i++) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (sumAt(mid) < 1) lo = mid;
    else hi = mid;
  }
  const w = inv.map((v) => Math.min(cap, hi * v));
  const total = w.reduce((s, v) => s + v, 0);
  // Normalise the bisection's last rounding on the uncapped names only.
  const free = w.reduce((s, v) => (v < cap ? s + v : s), 0);
  if (free > 0) for (let i = 0; i < w.length; i++) if (w[i]! < cap) w[i]! *= 1 + (1 - total) / free;
  return result('inverse_vol', assets, w);
}

/** Q = Σ / mean variance, so that λ and the bisection's reward scale are free of the returns' units. */
function normalised(cov: Matrix): { q: Matrix; scale: number } {
  let trace = 0;
  for (let i = 0; i < cov.p; i++) trace += cov.data[i * cov.p + i]!;
  const scale = trace / cov.p;
  return { q: { p: cov.p, data: cov.data.map((v) => v / scale) }, scale };
}

function optimize(
  method: 'min_variance' | 'vol_target',
  selected: readonly ScoredAsset[],
  config: TargetConfig,
  cap: number,
): TargetResult {
  const assets = selected.map((s) => s.asset);
  const missing = assets.filter((a) => !config.returns?.[a]);
  if (missing.length > 0) return equalWeights(assets, `${method}: no returns for ${missing.join(', ')}`);
  const cov = ledoitWolf(assets.map((a) => config.returns![a]!));
  if (!cov || cov.days < MIN_HISTORY)
    return equalWeights(assets, `${method}: fewer than ${MIN_HISTORY} days of common history`);
  const { q, scale } = normalised(cov);
  if (!(scale > 0) || !Number.isFinite(scale))
    return equalWeights(assets, `${method}: the returns have no variance`);
  const periods = config.periodsPerYear ?? DEFAULT_PERIODS;
  const annualVol = (w: ArrayLike<number>) => Math.sqrt(Math.max(0, quadForm(cov, w)) * periods);
  const lambda = config.turnoverPenalty ?? 0;
  const turnover =
    lambda > 0
      ? { penalty: lambda, current: Float64Array.from(assets, (a) => config.current?.[a] ?? 0) }
      : undefined;
  const solve = (c?: Float64Array, start?: Float64Array) =>
    solveCappedQp({
      q,
      cap,
      ...(c ? { c } : {}),
      ...(turnover ? { turnover } : {}),
      ...(start ? { start } : {}),
    });
  const minVar = solve();
  if (!minVar.converged)
    return equalWeights(
      assets,
      `${method}: the optimizer did not converge in ${minVar.iterations} iterations`,
    );
  const stats = { shrinkage: cov.shrinkage };
  if (method === 'min_variance')
    return checked(method, assets, minVar.w, cap, { ...stats, volatility: annualVol(minVar.w) });

  const target = config.targetVol;
  if (target === undefined) return equalWeights(assets, 'vol_target: no targetVol given');
  const floorVol = annualVol(minVar.w);
  if (floorVol >= target) {
    // Even the least volatile book is above target: hold it scaled down, the rest in cash.
    const k = target / floorVol;
    const w = minVar.w.map((v) => v * k);
    return checked(method, assets, w, cap, { ...stats, volatility: annualVol(w) });
  }
  // Most score at the target: minimise wᵀQw - κ sᵀw; κ grows the score's pull until the volatility reaches
  // the target (or the score-greedy book stays below it, and is held as it is).
  const scores = Float64Array.from(selected, (s) => s.score);
  const solveAt = (kappa: number, start: Float64Array) =>
    solve(
      scores.map((v) => v * kappa),
      start,
    ).w;
  // κ grows by 4 up to 4^12 (~1.7e7): with Q's mean variance at 1 and scores within [-1, 1], the book is
  // score-greedy long before that, and larger κ would leave the projection no float precision for ties.
  let lo = 0;
  let hi = 1;
  let best = minVar.w;
  let atHi = solveAt(hi, best);
  for (let i = 0; i < 12 && annualVol(atHi) < target; i++) {
    lo = hi;
    best = atHi;
    hi *= 4;
    atHi = solveAt(hi, best);
  }
  if (annualVol(atHi) < target)
    return checked(method, assets, atHi, cap, { ...stats, volatility: annualVol(atHi) });
  for (let i = 0; i < 60 && hi - lo > 1e-9 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    const w = solveAt(mid, best);
    const vol = annualVol(w);
    if (vol <= target) {
      lo = mid;
      best = w;
    } else hi = mid;
    if (Math.abs(vol - target) <= 1e-6 * target) {
      best = w;
      break;
    }
  }
  return checked(method, assets, best, cap, { ...stats, volatility: annualVol(best) });
}

/** The optimizer's weights when they keep the constraints (0 ≤ w ≤ cap, Σ w ≤ 1), else equal weight and why. */
function checked(
  method: WeightMethod,
  assets: readonly string[],
  w: ArrayLike<number>,
  cap: number,
  extra: Partial<TargetResult>,
): TargetResult {
  let sum = 0;
  for (let i = 0; i < assets.length; i++) {
    const v = w[i]!;
    if (!(v >= -1e-12 && v <= cap + 1e-9))
      return equalWeights(assets, `${method}: a weight of ${v} left [0, ${cap}]`);
    sum += v;
  }
  if (!(sum <= 1 + 1e-9)) return equalWeights(assets, `${method}: weights summing to ${sum}`);
  return result(method, assets, w, extra);
}

/** Target weights of the top N of a ranking by `method`; equal weight with the reason when it cannot apply. */
export function targetWeights(
  ranked: readonly RankedAsset[],
  method: WeightMethod,
  config: TargetConfig,
): TargetResult {
  checkConfig(config);
  const selected = selectTop(ranked, config.topN, config.minScore);
  if (selected.length === 0)
    return { method, weights: [], cash: 1, fallback: 'no asset has a score above the entry threshold' };
  const assets = selected.map((s) => s.asset);
  const cap = config.maxWeight ?? 1;
  if (cap * assets.length < 1 - 1e-12)
    return equalWeights(
      assets,
      `infeasible: ${assets.length} positions × cap ${cap} < 1; equal weight ${(1 / assets.length).toFixed(4)} each`,
    );
  if (method === 'equal') return equalWeights(assets);
  if (method === 'inverse_vol') return inverseVol(assets, config, cap);
  return optimize(method, selected, config, cap);
}
