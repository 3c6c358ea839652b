// The composite score: a weighted blend of components that each say something in [-1, 1] about an asset
// on a date. A component without an opinion (no news, no review, a failed review, too little history) is
// null and leaves both the numerator and the denominator, so silence never pulls a score towards 0.
import type { Direction } from '../../domain/market.ts';
import { AppError } from '../../errors/index.ts';

/** The components a composite score blends. */
export const SCORE_COMPONENTS = ['momentum', 'sentiment', 'signals', 'review'] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];

/** One fired signal as the score sees it: its direction and a strength (default 1). */
export interface ScoreSignal {
  direction: Direction;
  strength?: number;
}

/** What is known about one asset on one date, all of it available at that date's close. */
export interface ScoreInput {
  asset: string;
  date: string;
  /** Trailing simple return per horizon in bars (e.g. `{20: 0.04, 60: 0.1}`); null where history is short. */
  momentum: Readonly<Record<number, number | null>>;
  /** The day's weighted news sentiment in [-1, 1] (the sentiment stage's value), null without news. */
  sentiment: number | null;
  /** Signals fired on the date; empty when none fired. */
  signals: readonly ScoreSignal[];
  /** The date's valid AI review, null when there is none or it failed. */
  review: { direction: Direction; confidence: number } | null;
}

/** How components are weighted and which momentum horizons count. */
export interface ScoreConfig {
  /** Non-negative weight per component; 0 leaves a component out. */
  weights: Readonly<Record<ScoreComponent, number>>;
  /** Horizons (bars) whose cross-sectional z-scores average into the momentum component. */
  momentumHorizons: readonly number[];
}

/** Per-component values in [-1, 1], null where the component abstained. */
export type ScoreComponents = Record<ScoreComponent, number | null>;

/** One asset's composite score on a date with the components it came from; score null when all abstained. */
export interface CompositeScore {
  asset: string;
  date: string;
  score: number | null;
  components: ScoreComponents;
}

/** The default blend: momentum over a month and a quarter, every component weighted alike. */
export const DEFAULT_SCORE_CONFIG: ScoreConfig = {
  weights: { momentum: 1, sentiment: 1, signals: 1, review: 1 },
  momentumHorizons: [20, 60],
};

// Cross-sectional z-scores are clipped here before scaling to [-1, 1], so one outlier cannot flatten the rest.
const Z_CLIP = 3;

const DIRECTION_SIGN: Record<Direction, number> = { bullish: 1, bearish: -1, neutral: 0 };

function checkConfig(config: ScoreConfig): void {
  for (const c of SCORE_COMPONENTS) {
    const w = config.weights[c];
    if (!Number.isFinite(w) || w < 0)
      throw new AppError('invalid_input', `score weight ${c} must be a finite number >= 0, got ${w}`);
  }
  for (const h of config.momentumHorizons) {
    if (!Number.isInteger(h) || h < 1)
      throw new AppError('invalid_input', `momentum horizon must be a positive integer, got ${h}`);
  }
}

/**
 * Momentum per input: for each horizon, the return's z-score across the inputs of the same date (population
 * stddev), clipped to ±3 and divided by 3; the mean over the horizons where the asset has a value. A horizon
 * with fewer than two values or no spread on a date says nothing about anyone.
 */
function momentumComponents(inputs: readonly ScoreInput[], horizons: readonly number[]): (number | null)[] {
  const sums = new Float64Array(inputs.length);
  const counts = new Int32Array(inputs.length);
  const byDate = new Map<string, number[]>();
  inputs.forEach((input, i) => {
    const group = byDate.get(input.date);
    if (group) group.push(i);
    else byDate.set(input.date, [i]);
  });
  for (const indices of byDate.values()) {
    for (const h of horizons) {
      let n = 0;
      let sum = 0;
      let sumSq = 0;
      for (const i of indices) {
        const r = inputs[i]!.momentum[h];
        if (r == null || !Number.isFinite(r)) continue;
        n++;
        sum += r;
        sumSq += r * r;
      }
      if (n < 2) continue;
      const mean = sum / n;
      const sd = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
      if (!(sd > 1e-15 * Math.max(1, Math.abs(mean)))) continue;
      for (const i of indices) {
        const r = inputs[i]!.momentum[h];
        if (r == null || !Number.isFinite(r)) continue;
        const z = Math.max(-Z_CLIP, Math.min(Z_CLIP, (r - mean) / sd));
        sums[i]! += z / Z_CLIP;
        counts[i]!++;
      }
    }
  }
  return inputs.map((_, i) => (counts[i]! > 0 ? sums[i]! / counts[i]! : null));
}

/** Net direction of the fired signals weighted by strength: (bullish - bearish) / both; null without any. */
function signalsComponent(signals: readonly ScoreSignal[]): number | null {
  let net = 0;
  let total = 0;
  for (const s of signals) {
    const sign = DIRECTION_SIGN[s.direction];
    const strength = s.strength ?? 1;
    // Neutral signals and non-positive strengths state no direction: they abstain.
    if (sign === 0 || !(strength > 0)) continue;
    net += sign * strength;
    total += strength;
  }
  return total > 0 ? net / total : null;
}

function clampUnit(v: number): number {
  return Math.max(-1, Math.min(1, v));
}

/** Weighted mean of the components that have an opinion; null when none has (or all weigh 0). */
export function blendComponents(
  components: ScoreComponents,
  weights: Readonly<Record<ScoreComponent, number>>,
): number | null {
  let num = 0;
  let den = 0;
  for (const c of SCORE_COMPONENTS) {
    const v = components[c];
    const w = weights[c];
    if (v === null || w === 0) continue;
    num += w * v;
    den += w;
  }
  return den > 0 ? num / den : null;
}

/** Composite score per input (same order): normalised components and their weighted blend. */
export function compositeScores(inputs: readonly ScoreInput[], config: ScoreConfig): CompositeScore[] {
  checkConfig(config);
  const momentum = momentumComponents(inputs, config.momentumHorizons);
  return inputs.map((input, i) => {
    const sentiment =
      input.sentiment === null || !Number.isFinite(input.sentiment) ? null : clampUnit(input.sentiment);
    const review =
      input.review === null || !Number.isFinite(input.review.confidence)
        ? null
        : DIRECTION_SIGN[input.review.direction] * Math.max(0, Math.min(1, input.review.confidence));
    const components: ScoreComponents = {
      momentum: momentum[i]!,
      sentiment,
      signals: signalsComponent(input.signals),
      review,
    };
    return {
      asset: input.asset,
      date: input.date,
      score: blendComponents(components, config.weights),
      components,
    };
  });
}
