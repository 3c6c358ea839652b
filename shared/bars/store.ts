import type { Sql } from '../db/client.ts';
import type { BarSeries, RawBar } from '../domain/market.ts';
import { chunk } from '../pipeline/chunk.ts';

/** A rejected input row and why it was rejected. */
export interface RejectedRow {
  source: string;
  symbol: string | null;
  assetType: string | null;
  date: string | null;
  raw: unknown;
  reason: string;
}

/**
 * Upserts bars for known assets (keyed by symbol). A re-delivered identical bar is not rewritten;
 * a revised one replaces the stored values. Returns the number of rows inserted or changed.
 */
export async function upsertBars(
  sql: Sql,
  assetIdBySymbol: ReadonlyMap<string, number>,
  bars: readonly RawBar[],
  source: string,
): Promise<number> {
  let written = 0;
  const rows = bars.flatMap((b) => {
    const assetId = assetIdBySymbol.get(b.symbol);
    return assetId === undefined
      ? []
      : [
          {
            asset_id: assetId,
            date: b.date,
            open: b.open,
            high: b.high,
            low: b.low,
            close: b.close,
            volume: b.volume,
            source,
          },
        ];
  });
  for (const part of chunk(rows, 5000)) {
    const res = await sql`
      insert into daily_bars ${sql(part, 'asset_id', 'date', 'open', 'high', 'low', 'close', 'volume', 'source')}
      on conflict (asset_id, date) do update
      set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
          volume = excluded.volume, source = excluded.source, ingested_at = now()
      where (daily_bars.open, daily_bars.high, daily_bars.low, daily_bars.close, daily_bars.volume)
        is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume)`;
    written += res.count;
  }
  return written;
}

/** Keeps rejected input rows with their reason, so nothing disappears silently. */
export async function recordRejects(sql: Sql, rejects: readonly RejectedRow[]): Promise<void> {
  const rows = rejects.map((r) => ({
    source: r.source,
    symbol: r.symbol,
    asset_type: r.assetType,
    date: r.date,
    raw: JSON.stringify(r.raw),
    reason: r.reason,
  }));
  for (const part of chunk(rows, 2000)) {
    await sql`
      insert into rejected_bars (source, symbol, asset_type, date, raw, reason)
      select source, symbol, asset_type, date, raw::jsonb, reason
      from jsonb_to_recordset(${sql.json(part as never)})
        as r(source text, symbol text, asset_type text, date text, raw text, reason text)`;
  }
}

/** Loads each asset's bar history up to `to` (inclusive), oldest first, as typed arrays. */
export async function loadBarSeries(
  sql: Sql,
  assetIds: readonly number[],
  to: string,
): Promise<Map<number, BarSeries>> {
  const rows = await sql<
    { asset_id: number; dates: string[]; o: number[]; h: number[]; l: number[]; c: number[]; v: number[] }[]
  >`
    select asset_id,
           array_agg(date::text order by date) as dates,
           array_agg(open order by date) as o, array_agg(high order by date) as h,
           array_agg(low order by date) as l, array_agg(close order by date) as c,
           array_agg(volume order by date) as v
    from daily_bars
    where asset_id = any(${assetIds as number[]}::bigint[]) and date <= ${to}
    group by asset_id`;
  const out = new Map<number, BarSeries>();
  for (const r of rows) {
    out.set(r.asset_id, {
      dates: r.dates,
      open: Float64Array.from(r.o),
      high: Float64Array.from(r.h),
      low: Float64Array.from(r.l),
      close: Float64Array.from(r.c),
      volume: Float64Array.from(r.v),
    });
  }
  return out;
}
