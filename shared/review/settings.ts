import type { ModelPrice } from './pricing.ts';
import type { Reviewer } from './reviewer.ts';

/** How the review stage spends: tiering, concurrency, per-run budget, prices and candidate rules. */
export interface ReviewSettings {
  /** Reviewer for candidates without a fresh signal; null: tiering off, every candidate gets the main one. */
  cheapReviewer: Reviewer | null;
  /** Reviews in flight at once within one job. */
  concurrency: number;
  /** Per-run spend limits across all jobs and workers; null: unlimited. */
  budgetUsd: number | null;
  budgetTokens: number | null;
  /** USD per 1M tokens of a model (the list price, or the configured override); null: unknown. */
  priceOf: (model: string) => ModelPrice | null;
  /** Equity candidates: the top N of the universe by latest 20-day dollar volume. */
  equityTopN: number;
  /** Grounding: entry zones within this many ATRs of the last close. */
  maxEntryAtr: number;
}
