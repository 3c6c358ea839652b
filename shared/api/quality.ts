import type { PipelineContext } from '../pipeline/types.ts';
import type { QualityEntry, QualityList, QualityQuery } from './contracts/quality.ts';

/**
 * Data-quality ledger entries (the Today page's alerts): of one bar date, or without a date the most
 * recently recorded; optionally of one kind and asset type; newest first.
 */
export async function listQuality(ctx: PipelineContext, q: QualityQuery): Promise<QualityList> {
  const { sql } = ctx;
  const date = q.date ?? null;
  // Fragments rather than `$1 is null or ...`, so a date's lookup keeps its index under prepared plans.
  const items = await sql<QualityEntry[]>`
    select id, date, kind, source, symbol, asset_type, reason, raw,
      to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at
    from data_quality_ledger
    where true
      ${date ? sql`and date = ${date}` : sql``}
      ${q.kind ? sql`and kind = ${q.kind}` : sql``}
      ${q.asset_type ? sql`and asset_type = ${q.asset_type}` : sql``}
    order by recorded_at desc, id desc
    limit ${q.limit}`;
  return { date, items };
}
