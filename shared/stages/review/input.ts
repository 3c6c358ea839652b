import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';
import { AssetIds } from '../input.ts';

/** What a review run reads from its params. */
export const ReviewParams = z.object({
  /** Assets reviewed per universe and date (default: STRATOS_REVIEW_LIMIT). */
  limit: z.number().int().positive().optional(),
  /** Ask again about reviews cached as invalid (same input) instead of reusing them. */
  retry_invalid: z.boolean().optional(),
  /**
   * Also review earlier days: every `every`-th trading day counted back from the run date, down to
   * `from`, at most `limit` candidates each (the demo's review history, so scorecards have past
   * verdicts to score).
   */
  review_history: z
    .object({ from: IsoDate, every: z.number().int().positive(), limit: z.number().int().positive() })
    .optional(),
});
export type ReviewParams = z.infer<typeof ReviewParams>;

/** One review job: candidates in rank order (the strongest first), of `date` (default: the run date). */
export const ReviewJob = z.object({ asset_ids: AssetIds, date: IsoDate.optional() });
export type ReviewJob = z.infer<typeof ReviewJob>;
