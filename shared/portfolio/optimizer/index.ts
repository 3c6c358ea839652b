// Long-only portfolio optimisation over a capped simplex: weights in [0, cap] summing to 1. The problems
// here are small (top N of a ranking, N ~ 20-50) and convex quadratics, so an accelerated projected gradient
// (FISTA with restarts) over an exact projection solves them to 1e-12 without a numeric dependency, and
// shared/ stays importable by the Deno functions as it is.

/** A p × p matrix, row-major. */
export interface Matrix {
  p: number;
  data: Float64Array;
}

/** A covariance estimate, how far it was shrunk towards its target (0: the sample covariance), from how many days. */
export interface ShrunkCovariance extends Matrix {
  shrinkage: number;
  /** Complete days (every asset with a value) the estimate used. */
  days: number;
}

/**
 * Rows (days) where every series has a finite value, as a days × assets row-major block of returns. Series
 * are aligned by index, oldest first; a missing day on any asset drops that day for all, so the covariance is
 * the complete-case one.
 */
function completeRows(series: readonly ArrayLike<number>[]): { n: number; x: Float64Array } {
  const p = series.length;
  const len = Math.min(...series.map((s) => s.length));
  const x = new Float64Array(len * p);
  let n = 0;
  for (let t = 0; t < len; t++) {
    let ok = true;
    for (let j = 0; j < p; j++) if (!Number.isFinite(series[j]![t]!)) ok = false;
    if (!ok) continue;
    for (let j = 0; j < p; j++) x[n * p + j] = series[j]![t]!;
    n++;
  }
  return { n, x: x.subarray(0, n * p) };
}

/**
 * Ledoit-Wolf shrinkage of the covariance of `series` towards a scaled identity (Ledoit & Wolf 2004, "A
 * well-conditioned estimator for large-dimensional covariance matrices"), with the sample covariance
 * dividing by n as there, as scikit-learn's `ledoit_wolf` does: Σ = (1 - δ) S + δ μ I with μ = trace(S) / p.
 * Returns null with fewer than two complete days.
 */
export function ledoitWolf(series: readonly ArrayLike<number>[]): ShrunkCovariance | null {
  const p = series.length;
  if (p === 0) return null;
  const { n, x } = completeRows(series);
  if (n < 2) return null;
  const mean = new Float64Array(p);
  for (let t = 0; t < n; t++) for (let j = 0; j < p; j++) mean[j]! += x[t * p + j]!;
  for (let j = 0; j < p; j++) mean[j]! /= n;
  for (let t = 0; t < n; t++) for (let j = 0; j < p; j++) x[t * p + j]! -= mean[j]!;
  const s = new Float64Array(p * p);
  for (let t = 0; t < n; t++) {
    const row = t * p;
    for (let i = 0; i < p; i++) {
      const xi = x[row + i]!;
      for (let j = i; j < p; j++) s[i * p + j]! += xi * x[row + j]!;
    }
  }
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      s[i * p + j]! /= n;
      s[j * p + i] = s[i * p + j]!;
    }
  }
  let trace = 0;
  for (let i = 0; i < p; i++) trace += s[i * p + i]!;
  const mu = trace / p;
  // d² = ||S - μI||² / p: how far the sample is from the target.
  let d2 = 0;
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      const v = s[i * p + j]! - (i === j ? mu : 0);
      d2 += v * v;
    }
  }
  d2 /= p;
  // b̄² = (1/n²) Σ_t ||x_t x_tᵀ - S||² / p: the sample's own estimation noise, at most d².
  let b2 = 0;
  for (let t = 0; t < n; t++) {
    const row = t * p;
    for (let i = 0; i < p; i++) {
      const xi = x[row + i]!;
      for (let j = 0; j < p; j++) {
        const v = xi * x[row + j]! - s[i * p + j]!;
        b2 += v * v;
      }
    }
  }
  b2 = Math.min(b2 / (n * n * p), d2);
  const shrinkage = d2 > 0 ? b2 / d2 : 0;
  const data = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) data[i] = (1 - shrinkage) * s[i]!;
  for (let i = 0; i < p; i++) data[i * p + i]! += shrinkage * mu;
  return { p, data, shrinkage, days: n };
}

/** wᵀ Σ w. */
export function quadForm(m: Matrix, w: ArrayLike<number>): number {
  const { p, data } = m;
  let total = 0;
  for (let i = 0; i < p; i++) {
    let row = 0;
    for (let j = 0; j < p; j++) row += data[i * p + j]! * w[j]!;
    total += w[i]! * row;
  }
  return total;
}

/**
 * Euclidean projection of `v` onto {w : 0 ≤ w_i ≤ cap, Σ w = 1}: w_i = clip(v_i - τ, 0, cap) for the τ that
 * makes the sum 1, found by bisection and then solved exactly on its active set. Needs cap × p ≥ 1.
 */
export function projectCappedSimplex(v: ArrayLike<number>, cap: number, out: Float64Array): Float64Array {
  const p = out.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < p; i++) {
    lo = Math.min(lo, v[i]! - cap);
    hi = Math.max(hi, v[i]!);
  }
  // sum(τ) decreases from p × cap ≥ 1 at τ = lo to 0 at τ = hi.
  for (let k = 0; k < 100 && hi - lo > 0; k++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    let sum = 0;
    for (let i = 0; i < p; i++) sum += Math.min(cap, Math.max(0, v[i]! - mid));
    if (sum > 1) lo = mid;
    else hi = mid;
  }
  let tau = 0.5 * (lo + hi);
  let free = 0;
  let freeSum = 0;
  let capped = 0;
  for (let i = 0; i < p; i++) {
    const d = v[i]! - tau;
    if (d >= cap) capped++;
    else if (d > 0) {
      free++;
      freeSum += v[i]!;
    }
  }
  if (free > 0) tau = (freeSum + capped * cap - 1) / free;
  for (let i = 0; i < p; i++) out[i] = Math.min(cap, Math.max(0, v[i]! - tau));
  return out;
}

/** The convex quadratic the solver minimises: wᵀ Q w - cᵀ w + λ ||w - w₀||² over the capped simplex. */
export interface CappedQp {
  q: Matrix;
  /** Linear reward (e.g. scores); zeros when absent. */
  c?: Float64Array;
  /** Turnover penalty λ and the current weights w₀ it pulls towards. */
  turnover?: { penalty: number; current: Float64Array };
  cap: number;
  /** Starting point (projected first); equal weight when absent. */
  start?: Float64Array;
}

/** The minimiser, how many iterations it took, and whether the steps fell below tolerance. */
export interface QpSolution {
  w: Float64Array;
  iterations: number;
  converged: boolean;
}

/** Largest eigenvalue of a symmetric positive semi-definite matrix by power iteration (an upper estimate). */
function largestEigenvalue(m: Matrix): number {
  const { p, data } = m;
  let v = new Float64Array(p).fill(1 / Math.sqrt(p));
  let next = new Float64Array(p);
  let lambda = 0;
  for (let k = 0; k < 100; k++) {
    for (let i = 0; i < p; i++) {
      let row = 0;
      for (let j = 0; j < p; j++) row += data[i * p + j]! * v[j]!;
      next[i] = row;
    }
    let norm = 0;
    for (let i = 0; i < p; i++) norm += next[i]! * next[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return 0;
    for (let i = 0; i < p; i++) next[i]! /= norm;
    const converged = Math.abs(norm - lambda) <= 1e-12 * norm;
    lambda = norm;
    [v, next] = [next, v];
    if (converged) break;
  }
  // Power iteration approaches from below; the margin keeps the step 1/L safe.
  let rowMax = 0;
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += Math.abs(data[i * p + j]!);
    rowMax = Math.max(rowMax, s);
  }
  return Math.min(lambda * 1.05, rowMax);
}

/** Minimises a capped-simplex QP by FISTA with gradient restarts; the caller checks cap × p ≥ 1. */
export function solveCappedQp(qp: CappedQp, tolerance = 1e-12, maxIterations = 20_000): QpSolution {
  const { q, cap } = qp;
  const { p, data } = q;
  const lambda = qp.turnover?.penalty ?? 0;
  const w0 = qp.turnover?.current;
  const step = 1 / (2 * (largestEigenvalue(q) + lambda) || 1);
  let w: Float64Array = projectCappedSimplex(
    qp.start ?? new Float64Array(p).fill(1 / p),
    cap,
    new Float64Array(p),
  );
  let next: Float64Array = new Float64Array(p);
  const y = Float64Array.from(w);
  const g = new Float64Array(p);
  let t = 1;
  for (let k = 1; k <= maxIterations; k++) {
    for (let i = 0; i < p; i++) {
      let row = 0;
      for (let j = 0; j < p; j++) row += data[i * p + j]! * y[j]!;
      g[i] = 2 * row - (qp.c?.[i] ?? 0) + (w0 ? 2 * lambda * (y[i]! - w0[i]!) : 0);
      g[i] = y[i]! - step * g[i]!;
    }
    projectCappedSimplex(g, cap, next);
    let moved = 0;
    let restart = 0;
    for (let i = 0; i < p; i++) {
      moved = Math.max(moved, Math.abs(next[i]! - w[i]!));
      // Gradient restart (O'Donoghue & Candès): momentum pointing uphill is dropped.
      restart += (y[i]! - next[i]!) * (next[i]! - w[i]!);
    }
    if (moved <= tolerance) return { w: next, iterations: k, converged: true };
    const tNext = restart > 0 ? 1 : (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = restart > 0 ? 0 : (t - 1) / tNext;
    for (let i = 0; i < p; i++) y[i] = next[i]! + beta * (next[i]! - w[i]!);
    t = tNext;
    [w, next] = [next, w];
  }
  return { w, iterations: maxIterations, converged: false };
}
