import {
  SentimentPath,
  SentimentQuery,
  SentimentSeries,
  ShortlistList,
  ShortlistQuery,
} from '../../../shared/api/contracts/sentiment.ts';
import { sentimentSeries, shortlist } from '../../../shared/api/sentiment.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import type { Route } from './routes.ts';

/** The sentiment reads: an asset's daily sentiment and the news re-ranked shortlists. */
export function sentimentRoutes(ctx: PipelineContext): Route[] {
  const { sql } = ctx;
  return [
    {
      method: 'get',
      path: '/sentiment/shortlists',
      summary: 'A shortlist re-ranked by its news, with the reasons (default list "reviews", latest date)',
      access: 'reader',
      query: ShortlistQuery,
      status: 200,
      response: ShortlistList,
      validateBody: true,
      handler: ({ query }) => shortlist(sql, query as ShortlistQuery),
    },
    {
      method: 'get',
      path: '/sentiment/:asset_type/:symbol',
      summary: 'One asset’s daily point-in-time sentiment (count, mean, weighted mean, dispersion, decayed)',
      access: 'reader',
      params: SentimentPath,
      query: SentimentQuery,
      status: 200,
      response: SentimentSeries,
      errors: [404],
      validateBody: true,
      handler: ({ query, params }) => {
        const p = params as { asset_type: 'crypto' | 'equity'; symbol: string };
        return sentimentSeries(sql, p.asset_type, p.symbol, query as SentimentQuery);
      },
    },
  ];
}
