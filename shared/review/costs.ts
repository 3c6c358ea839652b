import type { ReviewCosts, ReviewCostsQuery } from '../api/contracts/reviews.ts';
import type { Sql } from '../db/client.ts';

/**
 * What each review run cost, newest first: the counters and spend its jobs recorded in its summary
 * (reviews written, cache hits, invalid answers, budget-pending candidates, tokens, USD) with its
 * universe's asset type, per-asset errors and wall time. Runs dated in [from, to] when given. A rerun
 * replaces its run's summary, so a row shows the latest attempt of that run.
 */
export async function reviewRunCosts(sql: Sql, query: Partial<ReviewCostsQuery> = {}): Promise<ReviewCosts> {
  const from = query.from ?? null;
  const to = query.to ?? null;
  const items = await sql<ReviewCosts['items']>`
    select r.id::int as run_id, r.run_date::text as run_date, r.universe, u.asset_type, r.status,
      coalesce((r.summary ->> 'reviewed')::int, 0) + coalesce((r.summary ->> 'cached')::int, 0) as count,
      coalesce((r.summary ->> 'reviewed')::int, 0) as reviewed,
      coalesce((r.summary ->> 'cached')::int, 0) as cached,
      coalesce((r.summary ->> 'invalid')::int, 0) as invalid,
      coalesce((r.summary ->> 'pending')::int, 0) as pending,
      (select count(*)::int from pipeline_asset_errors e where e.run_id = r.id) as errors,
      coalesce((r.summary ->> 'tokens_in')::bigint, 0)::float8 as tokens_in,
      coalesce((r.summary ->> 'tokens_out')::bigint, 0)::float8 as tokens_out,
      -- The summary sums priced reviews only: with any unpriced one the run's total is unknown.
      case when coalesce((r.summary ->> 'unpriced')::int, 0) > 0 then null
        else coalesce((r.summary ->> 'cost_usd')::float8, 0) end as cost_usd,
      coalesce((r.summary ->> 'unpriced')::int, 0) as unpriced,
      r.started_at, r.finished_at,
      (extract(epoch from r.finished_at - r.started_at) * 1000)::float8 as wall_ms
    from pipeline_runs r join universes u on u.id = r.universe
    where r.stage = 'review'
      and (${from}::date is null or r.run_date >= ${from}::date)
      and (${to}::date is null or r.run_date <= ${to}::date)
    order by r.run_date desc, r.universe`;
  return {
    from,
    to,
    items: items.map((i) => ({
      ...i,
      started_at: new Date(i.started_at).toISOString(),
      finished_at: i.finished_at === null ? null : new Date(i.finished_at).toISOString(),
      wall_ms: i.wall_ms === null ? null : Math.round(i.wall_ms),
    })),
  };
}
