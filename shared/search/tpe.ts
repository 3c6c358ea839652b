// Tree-structured Parzen estimator (Bergstra et al. 2011, as hyperopt's and Optuna's univariate TPE) over
// a finite parameter grid. No maintained JavaScript TPE package exists, so it is written here: it is
// seeded, and never proposes a point already evaluated or already proposed.

import type { Rng } from '../providers/demo/generate.ts';
import { gridSize, type ParamSpec } from './algorithms/index.ts';

/** Tuning of the sampler; the defaults are hyperopt's (γ = 0.25, 24 candidates). */
export interface TpeOptions {
  /** Random proposals before the model is used. */
  startup?: number;
  /** Share of observations that form the good density l(x). */
  gamma?: number;
  /** Candidates drawn from l(x) per proposal; the one with the highest l(x)/g(x) is proposed. */
  candidates?: number;
}

interface Observation {
  point: number[];
  score: number;
}

/** Key of a grid point, unique per point. */
export function pointKey(point: readonly number[]): string {
  return point.join(',');
}

/** A seeded TPE over the grid of `specs`, maximising the observed score. */
export class TpeSampler {
  private readonly sizes: number[];
  private readonly observations: Observation[] = [];
  private readonly seen = new Set<string>();
  private readonly startup: number;
  private readonly gamma: number;
  private readonly candidates: number;
  /** Number of grid points; proposals stop when all have been seen. */
  readonly capacity: number;

  constructor(
    specs: readonly ParamSpec[],
    private readonly rng: Rng,
    options: TpeOptions = {},
  ) {
    this.sizes = specs.map(gridSize);
    this.capacity = this.sizes.reduce((a, b) => a * b, 1);
    this.startup = options.startup ?? 16;
    this.gamma = options.gamma ?? 0.25;
    this.candidates = options.candidates ?? 24;
  }

  /** Records an evaluated point (grid indices) and its score; NaN scores count as the worst. */
  observe(point: readonly number[], score: number): void {
    this.seen.add(pointKey(point));
    this.observations.push({
      point: [...point],
      score: Number.isFinite(score) ? score : Number.NEGATIVE_INFINITY,
    });
  }

  /** Up to `count` new distinct points (fewer only when the grid is exhausted). */
  propose(count: number): number[][] {
    const out: number[][] = [];
    const taken = new Set(this.seen);
    const model = this.observations.length >= this.startup ? this.fit() : null;
    while (out.length < count && taken.size < this.capacity) {
      const point = (model && this.fromModel(model, taken)) ?? this.randomUnseen(taken);
      taken.add(pointKey(point));
      out.push(point);
    }
    return out;
  }

  private randomUnseen(taken: Set<string>): number[] {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const point = this.sizes.map((size) => Math.floor(this.rng.uniform() * size));
      if (!taken.has(pointKey(point))) return point;
    }
    // A nearly exhausted grid: walk it in order for the first unseen point.
    const point = this.sizes.map(() => 0);
    for (;;) {
      if (!taken.has(pointKey(point))) return point;
      let d = 0;
      while (d < point.length && ++point[d]! === this.sizes[d]) point[d++] = 0;
    }
  }

  /** Splits the observations into the best γ share and the rest (ties broken by order, deterministic). */
  private fit(): { good: number[][]; bad: number[][] } {
    const ranked = this.observations
      .map((o, i) => ({ ...o, i }))
      .sort((a, b) => b.score - a.score || a.i - b.i);
    const cut = Math.max(1, Math.ceil(this.gamma * ranked.length));
    return { good: ranked.slice(0, cut).map((o) => o.point), bad: ranked.slice(cut).map((o) => o.point) };
  }

  private fromModel(model: { good: number[][]; bad: number[][] }, taken: Set<string>): number[] | null {
    let best: number[] | null = null;
    let bestRatio = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < this.candidates; c++) {
      const point = this.sizes.map((size, d) => this.sampleParzen(model.good, d, size));
      if (taken.has(pointKey(point))) continue;
      let ratio = 0;
      for (let d = 0; d < point.length; d++) {
        ratio +=
          Math.log(this.density(model.good, d, this.sizes[d]!, point[d]!)) -
          Math.log(this.density(model.bad, d, this.sizes[d]!, point[d]!));
      }
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = point;
      }
    }
    return best;
  }

  /** Kernel bandwidth in grid steps: wide with few observations, narrowing as they accumulate. */
  private bandwidth(observations: number, size: number): number {
    return Math.max(1, size / (1 + Math.sqrt(observations)));
  }

  /** A draw from the Parzen mixture of dimension d: the uniform prior or a Gaussian around one observation. */
  private sampleParzen(points: number[][], d: number, size: number): number {
    const pick = Math.floor(this.rng.uniform() * (points.length + 1));
    if (pick === points.length) return Math.floor(this.rng.uniform() * size);
    const x = points[pick]![d]! + this.bandwidth(points.length, size) * this.rng.normal();
    return Math.min(size - 1, Math.max(0, Math.round(x)));
  }

  /** Mixture density at grid index x: the uniform prior and one Gaussian kernel per observation, equally weighted. */
  private density(points: number[][], d: number, size: number, x: number): number {
    const bw = this.bandwidth(points.length, size);
    let sum = 1 / size;
    for (const p of points) sum += Math.exp(-0.5 * ((x - p[d]!) / bw) ** 2) / (bw * Math.sqrt(2 * Math.PI));
    return sum / (points.length + 1);
  }
}
