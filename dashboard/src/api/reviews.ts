import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ReviewCosts, ReviewList, ReviewsQuery } from '../../../shared/api/contracts/reviews.ts';
import type { ReviewScorecard } from '../../../shared/api/contracts/scorecards.ts';
import type { AssetType } from '../../../shared/domain/market.ts';
import { apiGet } from './client.ts';

// Queries of the AI reviews page: the day's reviews, their scorecard and what each review run cost.

/** Query of GET /reviews as the page sends it; unset filters mean "any" (and the latest date). */
export type ReviewsFilter = Pick<ReviewsQuery, 'sort'> & { order: 'asc' | 'desc' } & Partial<
    Pick<ReviewsQuery, 'date' | 'direction' | 'status' | 'model'>
  >;

/** The reviews of a date, filtered and sorted by the server; the previous list stays while the next loads. */
export const reviewsListQuery = (filter: ReviewsFilter) =>
  queryOptions({
    queryKey: ['reviews', 'list', filter],
    queryFn: ({ signal }) => apiGet<ReviewList>('/reviews', { ...filter }, { signal }),
    placeholderData: keepPreviousData,
  });

/** Scope of the review scorecard. */
export interface ReviewScorecardFilter {
  asset_type?: AssetType;
  model?: string;
}

/** How past reviews played out, for one market and model or all. */
export const reviewScorecardQuery = (filter: ReviewScorecardFilter) =>
  queryOptions({
    queryKey: ['reviews', 'scorecard', filter],
    queryFn: ({ signal }) => apiGet<ReviewScorecard>('/scorecards/reviews', { ...filter }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });

/** Tokens, dollars and wall time per review run. */
export const reviewCostsQuery = (range: { from?: string; to?: string }) =>
  queryOptions({
    queryKey: ['reviews', 'costs', range],
    queryFn: ({ signal }) => apiGet<ReviewCosts>('/reviews/costs', { ...range }, { signal }),
  });
