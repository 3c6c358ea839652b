import { AssetPath } from '../../../shared/api/contracts/assets.ts';
import { AssetNewsQuery, NewsList, NewsQuery } from '../../../shared/api/contracts/news.ts';
import { assetNews, newsFeed } from '../../../shared/api/news.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { type Route, route } from './routes.ts';

/** The read-only news routes (issue #14): the stream and one asset's articles. */
export function newsRoutes(ctx: PipelineContext): Route[] {
  return [
    route({
      method: 'get',
      path: '/news',
      summary:
        'Latest news articles (deduplicated across providers): filters by asset, source, days and sentiment, keyset pages',
      access: 'reader',
      query: NewsQuery,
      response: NewsList,
      handler: ({ query }) => newsFeed(ctx, query),
    }),
    route({
      method: 'get',
      path: '/assets/:asset_type/:symbol/news',
      summary: "One asset's news articles with their scores, newest first",
      access: 'reader',
      query: AssetNewsQuery,
      params: AssetPath,
      response: NewsList,
      errors: [404],
      handler: ({ query, params }) => assetNews(ctx, params, query),
    }),
  ];
}
