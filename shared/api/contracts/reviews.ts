// /reviews and /reviews/costs: AI reviews and what review runs cost.
import { z } from 'zod';
import { AssetType, Direction, IsoDate } from '../../domain/market.ts';

/** One stored AI review of an asset on a date (valid, or invalid with its reasons in `review`). */
export const ReviewView = z.object({
  as_of_date: z.string(),
  model: z.string(),
  prompt_version: z.string(),
  status: z.enum(['valid', 'invalid']),
  direction: Direction.nullable(),
  attention_score: z.number().nullable(),
  confidence: z.number().nullable(),
  setup_type: z.string().nullable(),
  summary: z.string().nullable(),
  review: z.record(z.string(), z.unknown()),
  tokens_in: z.number(),
  tokens_out: z.number(),
  /** USD from the model's price table; null when the model has no known price. */
  cost_usd: z.number().nullable(),
  latency_ms: z.number(),
  attempts: z.number(),
});
export type ReviewView = z.infer<typeof ReviewView>;

/** Query of GET /reviews: one date (default: each market's latest reviewed date), sorted and filtered. */
export const ReviewsQuery = z
  .object({
    date: IsoDate.optional(),
    sort: z.enum(['attention_score', 'confidence', 'symbol']).default('attention_score'),
    /** Default: descending for scores, ascending for symbols. */
    order: z.enum(['asc', 'desc']).optional(),
    direction: Direction.optional(),
    status: z.enum(['valid', 'invalid']).optional(),
    model: z.string().min(1).max(100).optional(),
    asset_type: AssetType.optional(),
    limit: z.coerce.number().int().min(1).max(2000).default(500),
  })
  .strict();
export type ReviewsQuery = z.infer<typeof ReviewsQuery>;

/** A review with its asset, as GET /reviews lists it. */
export const AssetReview = ReviewView.extend({ symbol: z.string(), asset_type: AssetType });
export type AssetReview = z.infer<typeof AssetReview>;

/** GET /reviews; `date` is null when nothing has been reviewed yet. */
export const ReviewList = z.object({ date: z.string().nullable(), items: z.array(AssetReview) });
export type ReviewList = z.infer<typeof ReviewList>;

/** Query of GET /reviews/costs: review runs dated in [from, to]. */
export const ReviewCostsQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type ReviewCostsQuery = z.infer<typeof ReviewCostsQuery>;

/** One review run's accounting, from its summary. */
export const ReviewCostRun = z.object({
  run_id: z.number(),
  run_date: z.string(),
  universe: z.string(),
  asset_type: AssetType,
  status: z.string(),
  /** Candidates with a review after the run: `reviewed` (written by this run) plus `cached` (unchanged input, not paid again). */
  count: z.number(),
  reviewed: z.number(),
  cached: z.number(),
  /** Reviews written as invalid (schema or grounding failed after the corrective retry). */
  invalid: z.number(),
  /** Candidates left unreviewed when the run's budget ran out. */
  pending: z.number(),
  /** Candidates whose review failed with an error (no row written). */
  errors: z.number(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  /** USD of every call the run made, failed first answers included; null when a model had no known price. */
  cost_usd: z.number().nullable(),
  /** Reviews by a model without a price (their cost is unknown). */
  unpriced: z.number(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  /** finished_at - started_at; null while the run is in progress. */
  wall_ms: z.number().nullable(),
});
export type ReviewCostRun = z.infer<typeof ReviewCostRun>;

/** GET /reviews/costs: review runs, newest first. */
export const ReviewCosts = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  items: z.array(ReviewCostRun),
});
export type ReviewCosts = z.infer<typeof ReviewCosts>;
