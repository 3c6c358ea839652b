import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { ReviewCosts, ReviewList, ReviewsQuery } from '../../../../shared/api/contracts/reviews.ts';
import type { ReviewScorecard } from '../../../../shared/api/contracts/scorecards.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { apiGet } from '../client.ts';
import { resourceKeys } from './keys.ts';

const reviewsBase = resourceKeys('reviews');

/** GET /reviews, GET /reviews/costs and GET /scorecards/reviews. */
export const reviewKeys = {
  ...reviewsBase,
  scorecard: (filter: ReviewScorecardFilter) => [...reviewsBase.all, 'scorecard', filter] as const,
  costs: (range: ReviewCostsRange) => [...reviewsBase.all, 'costs', range] as const,
};

/** Query of GET /reviews as the pages send it; unset filters mean "any" (and the latest date). */
export type ReviewsFilter = Pick<ReviewsQuery, 'sort'> & { order: 'asc' | 'desc' } & Partial<
    Pick<ReviewsQuery, 'date' | 'direction' | 'status' | 'model'>
  >;

/** The latest reviews by attention: the Today page's list and the reviews page's first view. */
export const TOP_REVIEWS: ReviewsFilter = { sort: 'attention_score', order: 'desc' };

/** The reviews of a date, filtered and sorted by the server; the previous list stays while the next loads. */
export const reviewsListQuery = (filter: ReviewsFilter) =>
  queryOptions({
    queryKey: reviewKeys.list(filter),
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
    queryKey: reviewKeys.scorecard(filter),
    queryFn: ({ signal }) => apiGet<ReviewScorecard>('/scorecards/reviews', { ...filter }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });

/** Review runs dated in [from, to]. */
export interface ReviewCostsRange {
  from?: string;
  to?: string;
}

/** Tokens, dollars and wall time per review run. */
export const reviewCostsQuery = (range: ReviewCostsRange) =>
  queryOptions({
    queryKey: reviewKeys.costs(range),
    queryFn: ({ signal }) => apiGet<ReviewCosts>('/reviews/costs', { ...range }, { signal }),
  });
