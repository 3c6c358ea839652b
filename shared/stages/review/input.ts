import { z } from 'zod';
import { AssetIds } from '../input.ts';

/** What a review run reads from its params. */
export const ReviewParams = z.object({
  /** Assets reviewed per universe and date (default: STRATOS_REVIEW_LIMIT). */
  limit: z.number().int().positive().optional(),
  /** Ask again about reviews cached as invalid (same input) instead of reusing them. */
  retry_invalid: z.boolean().optional(),
});
export type ReviewParams = z.infer<typeof ReviewParams>;

/** One review job: candidates in rank order (the strongest first). */
export const ReviewJob = z.object({ asset_ids: AssetIds });
export type ReviewJob = z.infer<typeof ReviewJob>;
