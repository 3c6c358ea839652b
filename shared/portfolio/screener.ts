// The daily opportunity pool: the assets moving unusually on the decision day, by price (|z-score| above 2) or
// by volume (at least 15% above the average of the 20 sessions before it), then the top N by a chosen score.
import { AppError } from '../errors/index.ts';
import { zscore } from '../indicators/zscore/index.ts';

/** An asset's bars up to and including the decision day, oldest first. */
export interface ScreenerInput {
  asset: string;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
  /** The composite score of the day, for ranking by `score`. */
  score?: number | null;
}

/** What ranks the pool. */
export const POOL_RANKS = ['score', 'abs_zscore', 'volume_ratio'] as const;
export type PoolRank = (typeof POOL_RANKS)[number];

/** The rule's thresholds and windows. */
export interface ScreenerConfig {
  /** |z| strictly above this enters (default 2). */
  zThreshold: number;
  /** volume / prior average at or above 1 + this enters (default 0.15). */
  volumeSurge: number;
  /** Bars in the z-score window and in the volume average (default 20). */
  window: number;
  topN: number;
  rankBy: PoolRank;
}

/** The rule: |z| > 2 or volume ≥ 1.15 × its 20-day average, top 20 by composite score. */
export const DEFAULT_SCREENER: ScreenerConfig = {
  zThreshold: 2,
  volumeSurge: 0.15,
  window: 20,
  topN: 20,
  rankBy: 'score',
};

/** An asset in the pool, with the measures that put it there. */
export interface PoolEntry {
  asset: string;
  zscore: number | null;
  volumeRatio: number | null;
  score: number | null;
  reasons: string[];
}

/**
 * Price z-score of the last close: (close - mean) / population stddev over the last `window` closes, today
 * included (as the catalogue's zscore_20 and Bollinger bands); null with fewer closes, a gap, or no spread.
 */
export function lastZscore(close: ArrayLike<number>, window: number): number | null {
  if (close.length < window) return null;
  const tail = Float64Array.from({ length: window }, (_, i) => close[close.length - window + i]!);
  if (!tail.every(Number.isFinite)) return null;
  const z = zscore(tail, window)[window - 1]!;
  return Number.isFinite(z) ? z : null;
}

/**
 * Volume ratio of the last bar: volume / mean volume of the `window` bars before it (today excluded, so a
 * spike does not raise its own bar); null with fewer bars, a gap, or a zero average.
 */
export function lastVolumeRatio(volume: ArrayLike<number>, window: number): number | null {
  const n = volume.length;
  if (n < window + 1) return null;
  let sum = 0;
  for (let i = n - 1 - window; i < n - 1; i++) {
    const v = volume[i]!;
    if (!Number.isFinite(v)) return null;
    sum += v;
  }
  const today = volume[n - 1]!;
  if (!Number.isFinite(today) || !(sum > 0)) return null;
  return today / (sum / window);
}

function rankValue(e: PoolEntry, by: PoolRank): number | null {
  if (by === 'score') return e.score;
  if (by === 'abs_zscore') return e.zscore === null ? null : Math.abs(e.zscore);
  return e.volumeRatio;
}

/** The opportunity pool of a day: assets passing either test, best `rankBy` first (no value last), top N. */
export function opportunityPool(inputs: readonly ScreenerInput[], config: ScreenerConfig): PoolEntry[] {
  if (!Number.isInteger(config.window) || config.window < 2)
    throw new AppError('invalid_input', `screener window must be an integer >= 2, got ${config.window}`);
  if (!Number.isInteger(config.topN) || config.topN < 1)
    throw new AppError('invalid_input', `screener topN must be a positive integer, got ${config.topN}`);
  const pool: PoolEntry[] = [];
  for (const input of inputs) {
    const z = lastZscore(input.close, config.window);
    const ratio = lastVolumeRatio(input.volume, config.window);
    const reasons: string[] = [];
    if (z !== null && Math.abs(z) > config.zThreshold)
      reasons.push(`|z-score| ${Math.abs(z).toFixed(2)} > ${config.zThreshold}`);
    // 1e-12: exactly 15% above (115 on an average of 100) is in, whatever the division rounds to.
    if (ratio !== null && ratio >= 1 + config.volumeSurge - 1e-12)
      reasons.push(
        `volume ${((ratio - 1) * 100).toFixed(1)}% above its ${config.window}-day average (≥ ${(config.volumeSurge * 100).toFixed(0)}%)`,
      );
    if (reasons.length === 0) continue;
    pool.push({ asset: input.asset, zscore: z, volumeRatio: ratio, score: input.score ?? null, reasons });
  }
  return pool
    .sort((a, b) => {
      const va = rankValue(a, config.rankBy);
      const vb = rankValue(b, config.rankBy);
      if (va !== vb) {
        if (va === null) return 1;
        if (vb === null) return -1;
        return vb - va;
      }
      return a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0;
    })
    .slice(0, config.topN);
}
