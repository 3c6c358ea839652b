import type { ReviewCostRun } from '../../../../shared/api/contracts/reviews.ts';

/**
 * Why an invalid review was rejected: the review stage stores `{raw, reasons}` in place of the review
 * when the output failed the schema or the grounding check (numbers not in the input, a stop on the
 * wrong side of the entry). Anything else yields no reasons.
 */
export function invalidReasons(review: Record<string, unknown>): string[] {
  const reasons = review.reasons;
  return Array.isArray(reasons) ? reasons.filter((r): r is string => typeof r === 'string') : [];
}

/** The raw model answer kept with an invalid review, if any. */
export function invalidRaw(review: Record<string, unknown>): unknown {
  return review.raw ?? null;
}

/** Sums over review runs, as the cost panel's header line shows them. */
export interface CostTotals {
  runs: number;
  /** Reviews written by the runs (paid), and cache hits (unchanged input, not paid again). */
  reviewed: number;
  cached: number;
  invalid: number;
  tokensIn: number;
  tokensOut: number;
  /** Sum of the known costs; `unpricedRuns` had at least one review by a model without a price. */
  costUsd: number;
  unpricedRuns: number;
  /** Mean cost per written review, null when no run wrote one or a cost is unknown. */
  costPerReview: number | null;
}

/** Totals over review runs, for the line above the cost table. */
export function costTotals(rows: readonly ReviewCostRun[]): CostTotals {
  const t: CostTotals = {
    runs: rows.length,
    reviewed: 0,
    cached: 0,
    invalid: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    unpricedRuns: 0,
    costPerReview: null,
  };
  for (const r of rows) {
    t.reviewed += r.reviewed;
    t.cached += r.cached;
    t.invalid += r.invalid;
    t.tokensIn += r.tokens_in;
    t.tokensOut += r.tokens_out;
    if (r.cost_usd === null) t.unpricedRuns++;
    else t.costUsd += r.cost_usd;
  }
  // An unknown cost in the sum would make the mean a guess: leave it out rather than understate it.
  t.costPerReview = t.reviewed > 0 && t.unpricedRuns === 0 ? t.costUsd / t.reviewed : null;
  return t;
}

/** USD with enough decimals for fractions of a cent (a review costs ~$0.001). */
export function formatUsd(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  if (value === 0) return '$0';
  const digits = Math.abs(value) >= 1 ? 2 : Math.abs(value) >= 0.01 ? 3 : 5;
  return `$${value.toFixed(digits)}`;
}

/**
 * Stop-first, target-first and neither shares of the plans that entered and played out: plans still
 * open and plans whose entry zone was never reached are counted apart, not in the shares.
 */
export function planRates(plans: { stop_first: number; target_first: number; neither: number }): {
  closed: number;
  stopFirst: number | null;
  targetFirst: number | null;
  neither: number | null;
} {
  const closed = plans.stop_first + plans.target_first + plans.neither;
  const share = (k: number) => (closed > 0 ? k / closed : null);
  return {
    closed,
    stopFirst: share(plans.stop_first),
    targetFirst: share(plans.target_first),
    neither: share(plans.neither),
  };
}
