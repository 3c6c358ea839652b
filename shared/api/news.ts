import { AppError } from '../errors/index.ts';
import { listNews } from '../news/query.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import type { AssetNewsQuery, NewsList, NewsQuery } from './contracts/news.ts';

function range(q: AssetNewsQuery): void {
  if (q.since && q.until && q.since > q.until) throw new AppError('invalid_input', 'since is after until');
  if (q.min_sentiment !== undefined && q.max_sentiment !== undefined && q.min_sentiment > q.max_sentiment) {
    throw new AppError('invalid_input', 'min_sentiment is above max_sentiment');
  }
}

async function page(
  ctx: PipelineContext,
  q: AssetNewsQuery,
  asset: { symbol?: string; assetType?: 'crypto' | 'equity' },
): Promise<NewsList> {
  range(q);
  const [publishedAt, id] = q.cursor ? q.cursor.split('~') : [];
  const items = await listNews(ctx.sql, {
    limit: q.limit + 1,
    ...(asset.symbol ? { symbol: asset.symbol } : {}),
    ...(asset.assetType ? { assetType: asset.assetType } : {}),
    ...(q.source ? { source: q.source } : {}),
    ...(q.since ? { since: q.since } : {}),
    ...(q.until ? { until: q.until } : {}),
    ...(q.min_sentiment !== undefined ? { minSentiment: q.min_sentiment } : {}),
    ...(q.max_sentiment !== undefined ? { maxSentiment: q.max_sentiment } : {}),
    ...(publishedAt && id ? { before: { publishedAt, id: Number(id) } } : {}),
  });
  const more = items.length > q.limit;
  const shown = more ? items.slice(0, q.limit) : items;
  const last = shown.at(-1);
  return { items: shown, next_cursor: more && last ? `${last.published_at}~${last.id}` : null };
}

/** GET /news: the latest articles across assets and sources. */
export function newsFeed(ctx: PipelineContext, q: NewsQuery): Promise<NewsList> {
  return page(ctx, q, {
    ...(q.asset ? { symbol: q.asset } : {}),
    ...(q.asset_type ? { assetType: q.asset_type } : {}),
  });
}

/** GET /assets/:asset_type/:symbol/news: one asset's articles; 404 for an unknown asset. */
export async function assetNews(
  ctx: PipelineContext,
  asset: { asset_type: 'crypto' | 'equity'; symbol: string },
  q: AssetNewsQuery,
): Promise<NewsList> {
  const symbol = asset.symbol.toUpperCase();
  const [known] =
    await ctx.sql`select 1 from public.assets where asset_type = ${asset.asset_type} and symbol = ${symbol}`;
  if (!known) throw new AppError('not_found', `no ${asset.asset_type} asset ${symbol}`);
  return page(ctx, q, { symbol, assetType: asset.asset_type });
}
