import type { Sql } from '../db/client.ts';

/** Filters of a news listing; every one optional. */
export interface NewsFilter {
  /** Articles mentioning this asset (symbol, any case). */
  symbol?: string;
  assetType?: 'crypto' | 'equity';
  /** Articles one of whose copies came from this source (`marketaux`, `tiingo`, `demo`, `fnspid`). */
  source?: string;
  /** Published on or after this day (UTC). */
  since?: string;
  /** Published before the end of this day (UTC). */
  until?: string;
  /** Only articles with a valid sentiment score (of the mentioned asset when `symbol` is given) in the range. */
  minSentiment?: number;
  maxSentiment?: number;
  /** Keyset cursor: articles strictly older than this (published_at, id). */
  before?: { publishedAt: string; id: number };
  limit: number;
}

/** One mention as listed: the asset, the provider's scores and the latest valid sentiment score. */
export interface NewsMentionView {
  symbol: string;
  asset_type: string;
  provider_sentiment: number | null;
  match_score: number | null;
  sentiment: { score: number; relevance: number; impact: number; scorer_version: string } | null;
}

/** One article as listed, newest first. */
export interface NewsArticleView {
  id: number;
  title: string;
  url: string;
  summary: string | null;
  published_at: string;
  date_only: boolean;
  sources: { source: string; provider_id: string; url: string; publisher: string | null }[];
  mentions: NewsMentionView[];
}

/**
 * Articles newest first with their copies and mentions, each mention with its latest valid sentiment
 * score (any scorer version; the newest scored). Used by GET /news, GET /assets/:symbol/news and `stratos news`.
 */
export async function listNews(sql: Sql, f: NewsFilter): Promise<NewsArticleView[]> {
  const symbol = f.symbol?.toUpperCase() ?? null;
  const sentimentFilter = f.minSentiment !== undefined || f.maxSentiment !== undefined;
  const rows = await sql<NewsArticleView[]>`
    select a.id, a.title, a.url, a.summary,
           to_char(a.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as published_at, a.date_only,
           (select coalesce(json_agg(json_build_object('source', s.source, 'provider_id', s.provider_id, 'url', s.url,
                     'publisher', s.publisher) order by s.source, s.provider_id), '[]'::json)
              from public.news_article_sources s where s.article_id = a.id) as sources,
           (select coalesce(json_agg(json_build_object('symbol', x.symbol, 'asset_type', x.asset_type,
                     'provider_sentiment', m.provider_sentiment, 'match_score', m.match_score,
                     'sentiment', (select json_build_object('score', ns.score, 'relevance', ns.relevance,
                                     'impact', ns.impact, 'scorer_version', ns.scorer_version)
                                   from public.news_sentiment ns
                                   where ns.article_id = m.article_id and ns.asset_id = m.asset_id and ns.status = 'valid'
                                   order by ns.scored_at desc, ns.scorer_version limit 1))
                     order by m.match_score desc nulls last, x.symbol), '[]'::json)
              from public.news_mentions m join public.assets x on x.id = m.asset_id
              where m.article_id = a.id) as mentions
    from public.news_articles a
    where true
      ${
        symbol === null
          ? sql``
          : sql`and exists (select 1 from public.news_mentions m join public.assets x on x.id = m.asset_id
          where m.article_id = a.id and x.symbol = ${symbol} ${f.assetType ? sql`and x.asset_type = ${f.assetType}` : sql``})`
      }
      ${f.source ? sql`and exists (select 1 from public.news_article_sources s where s.article_id = a.id and s.source = ${f.source})` : sql``}
      ${f.since ? sql`and a.published_at >= ${f.since}::date::timestamp at time zone 'UTC'` : sql``}
      ${f.until ? sql`and a.published_at < (${f.until}::date + 1)::timestamp at time zone 'UTC'` : sql``}
      ${
        sentimentFilter
          ? sql`and exists (select 1 from public.news_sentiment ns join public.assets x on x.id = ns.asset_id
              where ns.article_id = a.id and ns.status = 'valid'
                and ns.score between ${f.minSentiment ?? -1} and ${f.maxSentiment ?? 1}
                ${symbol === null ? sql`` : sql`and x.symbol = ${symbol}`})`
          : sql``
      }
      ${f.before ? sql`and (a.published_at, a.id) < (${f.before.publishedAt}::timestamptz, ${f.before.id})` : sql``}
    order by a.published_at desc, a.id desc
    limit ${f.limit}`;
  return rows;
}
