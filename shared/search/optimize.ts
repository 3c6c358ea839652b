// The variation tester and optimizer: in each cycle, every algorithm's TPE proposes a batch of new
// variations from all its results so far, each is evaluated on the week's dataset, and the cycle's
// trials go to the caller (the trial ledger) before the next cycle starts. Each algorithm has its own
// sampler seeded from (seed, algorithm), so the same seed and cycle count give the same trials.

import { createRng } from '../providers/demo/generate.ts';
import { ALGORITHMS, type Algorithm, paramValues } from './algorithms/index.ts';
import {
  evaluateVariation,
  type PreparedDataset,
  pickOverlap,
  type VariationStats,
  variationStats,
} from './evaluate.ts';
import { seriesDsr } from './overfitting.ts';
import { TpeSampler } from './tpe.ts';

/** One evaluated variation. */
export interface Trial {
  /** Order of evaluation within the run, from 1. */
  seq: number;
  cycle: number;
  algorithm: string;
  params: Record<string, number>;
  /** Algorithm and parameter values: unique per variation. */
  key: string;
  daily: number[];
  buys: number[];
  stats: VariationStats;
  picks: Uint8Array;
}

/** Progress after each cycle. */
export interface CycleReport {
  cycle: number;
  /** This cycle's trials. */
  trials: Trial[];
  totalTrials: number;
  best: Trial | null;
  elapsedMs: number;
  /** Time left of the budget; Infinity without one. */
  budgetLeftMs: number;
}

/** How a search runs. */
export interface SearchOptions {
  seed: number;
  /** Cycles to run (default 200). */
  cycles?: number;
  /** Stop after the cycle that passes this many milliseconds. */
  budgetMs?: number;
  /** Variations per algorithm per cycle (default 8). */
  batch?: number;
  algorithms?: readonly Algorithm[];
  onCycle?: (report: CycleReport) => Promise<void> | void;
  now?: () => number;
}

/** Why a search stopped. */
export type StopReason = 'cycles' | 'budget' | 'exhausted';

/** A finished search. */
export interface SearchResult {
  trials: Trial[];
  cycles: number;
  stoppedBy: StopReason;
  elapsedMs: number;
}

/** Key of a variation: `algorithm:name=value,…`. */
export function variationKey(algorithm: string, params: Record<string, number>): string {
  return `${algorithm}:${Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** Runs the search over a prepared dataset (see the file header). */
export async function runSearch(data: PreparedDataset, options: SearchOptions): Promise<SearchResult> {
  const { seed, cycles = 200, batch = 8, algorithms = ALGORITHMS, budgetMs, onCycle } = options;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const samplers = algorithms.map((a) => new TpeSampler(a.params, createRng(`search:${seed}:${a.id}`)));
  const trials: Trial[] = [];
  let best: Trial | null = null;
  let stoppedBy: StopReason = 'cycles';
  let cycle = 0;
  while (cycle < cycles) {
    cycle++;
    const cycleTrials: Trial[] = [];
    algorithms.forEach((algorithm, a) => {
      const sampler = samplers[a]!;
      for (const point of sampler.propose(batch)) {
        const values = paramValues(algorithm.params, point);
        const result = evaluateVariation(data, algorithm, values);
        const stats = variationStats(result);
        sampler.observe(point, stats.score);
        const params = Object.fromEntries(algorithm.params.map((p, k) => [p.name, values[k]!]));
        const trial: Trial = {
          seq: trials.length + 1,
          cycle,
          algorithm: algorithm.id,
          params,
          key: variationKey(algorithm.id, params),
          daily: Array.from(result.daily),
          buys: Array.from(result.buys),
          stats,
          picks: result.picks,
        };
        trials.push(trial);
        cycleTrials.push(trial);
        if (!best || stats.score > best.stats.score) best = trial;
      }
    });
    const elapsedMs = now() - started;
    await onCycle?.({
      cycle,
      trials: cycleTrials,
      totalTrials: trials.length,
      best,
      elapsedMs,
      budgetLeftMs: budgetMs === undefined ? Number.POSITIVE_INFINITY : Math.max(0, budgetMs - elapsedMs),
    });
    if (cycleTrials.length === 0) {
      stoppedBy = 'exhausted';
      break;
    }
    if (budgetMs !== undefined && now() - started >= budgetMs) {
      stoppedBy = cycle < cycles ? 'budget' : 'cycles';
      break;
    }
  }
  return { trials, cycles: cycle, stoppedBy, elapsedMs: now() - started };
}

/** A variation in the report, with its deflated Sharpe and its closest neighbour among the report's rows. */
export interface RankedVariation {
  trial: Trial;
  /** Deflated Sharpe ratio counting `trials` trials (NaN without a Sharpe). */
  dsr: number;
  /** Highest pick overlap (Jaccard) with another reported variation, and its key. */
  maxOverlap: number;
  overlapsWith: string | null;
}

/** What the deflated Sharpe counts: every trial of the ledger and the variance of their Sharpe ratios. */
export interface TrialCount {
  trials: number;
  sharpeVariance: number;
}

/** The best `perAlgorithm` distinct variations of each algorithm by score, with DSR and overlaps. */
export function topVariations(
  trials: readonly Trial[],
  perAlgorithm: number,
  count: TrialCount,
): RankedVariation[] {
  const byAlgorithm = new Map<string, Trial[]>();
  for (const t of trials) {
    const list = byAlgorithm.get(t.algorithm) ?? [];
    list.push(t);
    byAlgorithm.set(t.algorithm, list);
  }
  const top: Trial[] = [];
  for (const list of byAlgorithm.values())
    top.push(
      ...[...list].sort((a, b) => b.stats.score - a.stats.score || a.seq - b.seq).slice(0, perAlgorithm),
    );
  return top.map((trial) => {
    let maxOverlap = 0;
    let overlapsWith: string | null = null;
    for (const other of top) {
      if (other === trial) continue;
      const o = pickOverlap(trial.picks, other.picks);
      if (o > maxOverlap) {
        maxOverlap = o;
        overlapsWith = other.key;
      }
    }
    const dsr = seriesDsr(trial.daily, trial.stats.sharpe, count);
    return { trial, dsr, maxOverlap, overlapsWith };
  });
}
