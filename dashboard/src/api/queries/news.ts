import { queryOptions } from '@tanstack/react-query';
import type { NewsList } from '../../../../shared/api/contracts/news.ts';
import type { SentimentSeries, ShortlistList } from '../../../../shared/api/contracts/sentiment.ts';
import type { AssetType } from '../../../../shared/domain/market.ts';
import { apiGet } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /news and GET /assets/:type/:symbol/news. */
export const newsKeys = resourceKeys('news');
/** GET /sentiment/:type/:symbol and GET /sentiment/shortlists. */
export const sentimentKeys = resourceKeys('sentiment');

/** The News page's filters, as GET /news takes them. */
export interface NewsFilter {
  asset?: string;
  source?: string;
  /** A score band: positive ≥ 0.25, negative ≤ −0.25, neutral between (the labels' threshold). */
  sentiment?: 'positive' | 'neutral' | 'negative';
}

const BANDS = {
  positive: { min_sentiment: 0.25 },
  negative: { max_sentiment: -0.25 },
  neutral: { min_sentiment: -0.2499, max_sentiment: 0.2499 },
} as const;

/** The latest articles across assets, filtered. */
export const newsListQuery = (filter: NewsFilter) =>
  queryOptions({
    queryKey: newsKeys.list(filter),
    queryFn: ({ signal }) =>
      apiGet<NewsList>(
        '/news',
        {
          limit: 100,
          ...(filter.asset ? { asset: filter.asset } : {}),
          ...(filter.source ? { source: filter.source } : {}),
          ...(filter.sentiment ? BANDS[filter.sentiment] : {}),
        },
        { signal },
      ),
  });

/** One asset's latest articles. */
export const assetNewsQuery = (assetType: AssetType, symbol: string) =>
  queryOptions({
    queryKey: newsKeys.detail([assetType, symbol]),
    queryFn: ({ signal }) =>
      apiGet<NewsList>(`/assets/${assetType}/${encodeURIComponent(symbol)}/news`, { limit: 20 }, { signal }),
  });

/** One asset's daily sentiment (the last year it has). */
export const sentimentSeriesQuery = (assetType: AssetType, symbol: string) =>
  queryOptions({
    queryKey: sentimentKeys.detail([assetType, symbol]),
    queryFn: ({ signal }) =>
      apiGet<SentimentSeries>(`/sentiment/${assetType}/${encodeURIComponent(symbol)}`, {}, { signal }),
  });

/** A stored shortlist re-ranking (default list "reviews", its latest date). */
export const shortlistQuery = (list: string) =>
  queryOptions({
    queryKey: sentimentKeys.list({ list }),
    queryFn: ({ signal }) => apiGet<ShortlistList>('/sentiment/shortlists', { list }, { signal }),
  });
