import type { PipelineContext } from '../pipeline/types.ts';
import type { AssetReview, ReviewList, ReviewsQuery } from './contracts/reviews.ts';

const SORT_SQL: Record<ReviewsQuery['sort'], string> = {
  attention_score: 'v.attention_score',
  confidence: 'v.confidence',
  symbol: 'a.symbol',
};

/**
 * A date's reviews with their cost, tokens, latency and attempts (default: each market's latest
 * reviewed date, since crypto and equities close on different days), filtered and sorted; scores
 * sort descending unless asked otherwise, symbols ascending.
 */
export async function listReviews(ctx: PipelineContext, q: ReviewsQuery): Promise<ReviewList> {
  const { sql } = ctx;
  const order = q.order ?? (q.sort === 'symbol' ? 'asc' : 'desc');
  const date = q.date ?? null;
  const items = await sql<AssetReview[]>`
    select a.symbol, a.asset_type, v.as_of_date::text as as_of_date, v.model, v.prompt_version, v.status,
      v.direction, v.attention_score, v.confidence, v.setup_type, v.summary, v.review, v.tokens_in,
      v.tokens_out, v.cost_usd::float8 as cost_usd, v.latency_ms, v.attempts
    from asset_ai_reviews v join assets a on a.id = v.asset_id
    where (${date}::date is not null and v.as_of_date = ${date}::date
       or ${date}::date is null and (a.asset_type, v.as_of_date) in (
         select a2.asset_type, max(v2.as_of_date) from asset_ai_reviews v2 join assets a2 on a2.id = v2.asset_id
         group by a2.asset_type))
      and (${q.direction ?? null}::text is null or v.direction = ${q.direction ?? null})
      and (${q.status ?? null}::text is null or v.status = ${q.status ?? null})
      and (${q.model ?? null}::text is null or v.model = ${q.model ?? null})
      and (${q.asset_type ?? null}::text is null or a.asset_type = ${q.asset_type ?? null})
    order by ${sql.unsafe(`${SORT_SQL[q.sort]} ${order === 'desc' ? 'desc' : 'asc'} nulls last`)}, a.symbol, v.model
    limit ${q.limit}`;
  const dates = items.map((i) => i.as_of_date);
  return { date: date ?? dates.reduce<string | null>((m, d) => (m && m > d ? m : d), null), items };
}
