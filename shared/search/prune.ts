// The pruner: from every variation a search run evaluated, the few per algorithm that group discovery
// combines. A variation must pass hard gates (enough picks every day, not the whole market, mostly
// positive days, no large losing day); the survivors are ranked by one score of performance,
// stability and confidence, and a variation whose picks nearly repeat a better one of the same
// algorithm is skipped, since a group gains nothing from two copies of one screen.

import type { Sql } from '../db/client.ts';
import { ALGORITHMS } from './algorithms/index.ts';
import { pickOverlap, type VariationStats } from './evaluate.ts';

/** The pruner's gates and how much it keeps. */
export interface PruneOptions {
  /** Variations kept per algorithm (default 8: with at most one per algorithm, 9^10 combinations bound the group tree). */
  perAlgorithm?: number;
  /** Picks needed on every signal day (default 5: a day's result is then a mean, not one stock's move). */
  minBuysPerDay?: number;
  /** Most of the sample a variation may pick on one day (default 0.5: beyond it the screen is the market). */
  maxBuyShare?: number;
  /** Days with a positive result needed (default 3 of 5: it worked on most days of the week). */
  minPositiveDays?: number;
  /** Lowest daily result allowed (default −3%: a worse day is a loss the weekday exits would not contain). */
  worstDay?: number;
  /** Pick overlap (Jaccard) above which a variation repeats a better one of its algorithm (default 0.9). */
  maxOverlap?: number;
}

/** The defaults of PruneOptions, resolved. */
export const PRUNE_DEFAULTS: Required<PruneOptions> = {
  perAlgorithm: 8,
  minBuysPerDay: 5,
  maxBuyShare: 0.5,
  minPositiveDays: 3,
  worstDay: -0.03,
  maxOverlap: 0.9,
};

/** A variation the pruner reads: its key, algorithm, per-day results and buys, and their statistics. */
export interface PruneCandidate {
  key: string;
  algorithm: string;
  params: Record<string, number>;
  daily: readonly number[];
  buys: readonly number[];
  stats: VariationStats;
}

/** A kept variation. */
export interface PrunedVariation {
  candidate: PruneCandidate;
  /** 1 for the best of its algorithm. */
  rank: number;
  score: number;
  /** The score's confidence factor, buys / (buys + 25). */
  confidence: number;
  worstDay: number;
  minDayBuys: number;
}

/** What a pruning kept, and how many variations each gate refused. */
export interface PruneResult {
  kept: PrunedVariation[];
  candidates: number;
  refused: { buys: number; breadth: number; positive: number; worstDay: number; overlap: number };
  options: Required<PruneOptions>;
}

const ALGORITHM_ORDER = new Map(ALGORITHMS.map((a, i) => [a.id, i]));

/** Orders kept variations as the algorithms are listed, best rank first within one. */
function byAlgorithmThenRank(a: string, rankA: number, b: string, rankB: number): number {
  const order = (id: string) => ALGORITHM_ORDER.get(id) ?? ALGORITHMS.length;
  return order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0) || rankA - rankB;
}

/** Picks a mean needs before it is trusted at half weight, as in the optimizer's objective. */
const PRIOR_PICKS = 25;

/**
 * The pruner's and group discovery's score: the mean daily result shrunk toward 0 by the confidence
 * factor picks / (picks + 25) (performance and confidence), less one standard error of the daily mean,
 * std / √days (stability: a steady result outranks an equal mean made of one big day).
 */
export function robustScore(meanReturn: number, stdReturn: number, picks: number, days: number): number {
  const spread = Number.isFinite(stdReturn) ? stdReturn / Math.sqrt(days) : 0;
  return (meanReturn * picks) / (picks + PRIOR_PICKS) - spread;
}

/**
 * Gates, scores and keeps the best `perAlgorithm` variations of each algorithm. `picksOf` gives a
 * candidate's per-ticker pick bits (for the overlap rule); it is asked only for variations that passed
 * the gates, best first, so a caller may compute picks lazily. Ties break by key: the same candidates
 * give the same result in any order.
 */
export function prune(
  candidates: readonly PruneCandidate[],
  sampleSize: number,
  picksOf: (c: PruneCandidate) => Uint8Array,
  options: PruneOptions = {},
): PruneResult {
  const o = { ...PRUNE_DEFAULTS, ...options };
  const refused = { buys: 0, breadth: 0, positive: 0, worstDay: 0, overlap: 0 };
  const passed: { c: PruneCandidate; score: number; worst: number; minBuys: number }[] = [];
  for (const c of candidates) {
    const minBuys = Math.min(...c.buys);
    const maxBuys = Math.max(...c.buys);
    const worst = Math.min(...c.daily);
    const positive = c.daily.filter((r) => r > 0).length;
    if (minBuys < o.minBuysPerDay) refused.buys++;
    else if (maxBuys > o.maxBuyShare * sampleSize) refused.breadth++;
    else if (positive < o.minPositiveDays) refused.positive++;
    else if (worst < o.worstDay) refused.worstDay++;
    else
      passed.push({
        c,
        score: robustScore(c.stats.meanReturn, c.stats.stdReturn, c.stats.totalBuys, c.daily.length),
        worst,
        minBuys,
      });
  }
  passed.sort((a, b) => b.score - a.score || (a.c.key < b.c.key ? -1 : a.c.key > b.c.key ? 1 : 0));
  const keptBy = new Map<string, { picks: Uint8Array }[]>();
  const kept: PrunedVariation[] = [];
  for (const p of passed) {
    const same = keptBy.get(p.c.algorithm) ?? [];
    if (same.length >= o.perAlgorithm) continue;
    const picks = picksOf(p.c);
    if (same.some((s) => pickOverlap(s.picks, picks) > o.maxOverlap)) {
      refused.overlap++;
      continue;
    }
    same.push({ picks });
    keptBy.set(p.c.algorithm, same);
    kept.push({
      candidate: p.c,
      rank: same.length,
      score: p.score,
      confidence: p.c.stats.totalBuys / (p.c.stats.totalBuys + PRIOR_PICKS),
      worstDay: p.worst,
      minDayBuys: p.minBuys,
    });
  }
  // Reports and group discovery read the kept ones in the algorithms' order, best first.
  kept.sort((a, b) => byAlgorithmThenRank(a.candidate.algorithm, a.rank, b.candidate.algorithm, b.rank));
  return { kept, candidates: candidates.length, refused, options: o };
}

interface TrialRow {
  variation: string;
  algorithm: string;
  params: Record<string, number>;
  daily_returns: number[];
  buys: number[];
  mean_return: number;
  std_return: number;
  sharpe: number | null;
  positive_share: number;
  total_buys: number;
  score: number;
}

function candidateOf(r: TrialRow): PruneCandidate {
  return {
    key: r.variation,
    algorithm: r.algorithm,
    params: r.params,
    daily: r.daily_returns,
    buys: r.buys,
    stats: {
      meanReturn: r.mean_return,
      stdReturn: r.std_return,
      sharpe: r.sharpe ?? Number.NaN,
      positiveShare: r.positive_share,
      totalBuys: r.total_buys,
      activeDays: r.buys.filter((b) => b > 0).length,
      score: r.score,
    },
  };
}

/** Every variation of a run in the ledger, as the pruner reads them. */
export async function loadRunCandidates(sql: Sql, runId: number): Promise<PruneCandidate[]> {
  const rows = await sql<TrialRow[]>`
    select variation, algorithm, params, daily_returns, buys, mean_return, std_return, sharpe,
      positive_share, total_buys, score
    from search_trials where run_id = ${runId} order by seq`;
  return rows.map(candidateOf);
}

/** Replaces a run's kept variations and records the pruning's settings and counts on the run. */
export async function savePruned(sql: Sql, runId: number, result: PruneResult): Promise<void> {
  const rows = result.kept.map((k) => ({
    run_id: runId,
    variation: k.candidate.key,
    algorithm: k.candidate.algorithm,
    rank: k.rank,
    prune_score: k.score,
    confidence: k.confidence,
    worst_day: k.worstDay,
    min_day_buys: k.minDayBuys,
  }));
  const summary = {
    options: result.options,
    candidates: result.candidates,
    kept: result.kept.length,
    refused: result.refused,
  };
  await sql.begin(async (tx) => {
    await tx`delete from search_pruned where run_id = ${runId}`;
    if (rows.length > 0) await tx`insert into search_pruned ${tx(rows)}`;
    await tx`update search_runs set prune = ${tx.json(summary)} where id = ${runId}`;
  });
}

/** A run's kept variations in the order group discovery reads them (algorithms' order, best first). */
export async function loadPruned(sql: Sql, runId: number): Promise<PruneCandidate[]> {
  const rows = await sql<(TrialRow & { rank: number })[]>`
    select t.variation, t.algorithm, t.params, t.daily_returns, t.buys, t.mean_return, t.std_return,
      t.sharpe, t.positive_share, t.total_buys, t.score, p.rank
    from search_pruned p join search_trials t on t.run_id = p.run_id and t.variation = p.variation
    where p.run_id = ${runId}`;
  rows.sort((a, b) => byAlgorithmThenRank(a.algorithm, a.rank, b.algorithm, b.rank));
  return rows.map(candidateOf);
}
