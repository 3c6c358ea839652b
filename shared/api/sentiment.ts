import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import type {
  SentimentQuery,
  SentimentSeries,
  ShortlistList,
  ShortlistQuery,
} from './contracts/sentiment.ts';

/** An asset's daily sentiment rows over a range (default: its last 365), of the scorer version written last. */
export async function sentimentSeries(
  sql: Sql,
  assetType: AssetType,
  symbol: string,
  q: SentimentQuery,
): Promise<SentimentSeries> {
  const [asset] = await sql<{ id: number; symbol: string }[]>`
    select id, symbol from assets where asset_type = ${assetType} and symbol = ${symbol.toUpperCase()}`;
  if (!asset) throw new AppError('not_found', `unknown ${assetType} asset "${symbol}"`);
  const items = await sql<SentimentSeries['items']>`
    select date::text, news_count, mean, weighted_mean, dispersion, decayed, scorer_version from (
      select * from daily_sentiment
      where asset_id = ${asset.id}
        and scorer_version = (
          select scorer_version from daily_sentiment where asset_id = ${asset.id} order by updated_at desc limit 1)
        and (${q.from ?? null}::date is null or date >= ${q.from ?? null}::date)
        and (${q.to ?? null}::date is null or date <= ${q.to ?? null}::date)
      order by date desc limit 365
    ) d order by date`;
  return { symbol: asset.symbol, items };
}

/** A stored shortlist re-ranking for one date (default: the list's latest), in its new order. */
export async function shortlist(sql: Sql, q: ShortlistQuery): Promise<ShortlistList> {
  const [latest] = await sql<{ date: string | null }[]>`
    select coalesce(${q.date ?? null}::date, max(as_of_date))::text as date
    from sentiment_shortlists where list_id = ${q.list}`;
  const date = latest?.date ?? null;
  if (date === null) return { list: q.list, date: null, items: [] };
  const items = await sql<ShortlistList['items']>`
    select a.symbol, a.asset_type, s.base_rank, s.rank, s.news_score, s.article_count, s.scorer_version, s.reasons
    from sentiment_shortlists s join assets a on a.id = s.asset_id
    where s.list_id = ${q.list} and s.as_of_date = ${date}
    order by s.rank`;
  return { list: q.list, date, items };
}
