import type { Sql } from '../db/client.ts';
import type { BarSeries, RawBar } from '../domain/market.ts';
import { chunk } from '../pipeline/chunk.ts';
import type { ScreenedBar } from '../quality/screen.ts';

/** One data-quality ledger entry: a rejected row, a flagged bar, a provider disagreement or a gap. */
export interface LedgerEntry {
  kind: 'rejected' | 'flagged' | 'reconciliation' | 'gap';
  source: string;
  assetId?: number | null;
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

/** A screened bar the ledger records as it arrived (its payload may not be a valid bar). */
interface Finding {
  bar: { symbol: string; date: string };
  source: string;
  reason: string;
}

/**
 * The ledger entries of one screened batch: every rejected bar and every flag of an accepted bar,
 * located by the asset ids known for their symbols.
 */
export function screenLedger(
  screened: { accepted: readonly ScreenedBar[]; rejected: readonly Finding[] },
  assetType: string | null,
  idBySymbol: ReadonlyMap<string, number>,
): LedgerEntry[] {
  const entry = (
    kind: LedgerEntry['kind'],
    bar: Finding['bar'],
    source: string,
    reason: string,
  ): LedgerEntry => ({
    kind,
    source,
    assetId: idBySymbol.get(bar.symbol) ?? null,
    symbol: bar.symbol,
    assetType,
    date: bar.date,
    raw: bar,
    reason,
  });
  return [
    ...screened.rejected.map(({ bar, source, reason }) => entry('rejected', bar, source, reason)),
    ...screened.accepted.flatMap(({ bar, source, flags }) =>
      flags.map((reason) => entry('flagged', bar, source, reason)),
    ),
  ];
}

/**
 * Records ledger entries (rejected and flagged rows keep their raw payload): nothing disappears
 * silently, and nothing is recorded twice. A finding the ledger already holds (same kind, source,
 * market, symbol, date and raw payload; see migration 20261207000100) is skipped, so reruns,
 * re-imports and resumed jobs converge. Returns the number of new rows.
 */
export async function recordLedger(sql: Sql, entries: readonly LedgerEntry[]): Promise<number> {
  const rows = entries.map((e) => ({
    kind: e.kind,
    source: e.source,
    asset_id: e.assetId ?? null,
    symbol: e.symbol,
    asset_type: e.assetType,
    date: e.date,
    raw: JSON.stringify(e.raw ?? null),
    reason: e.reason,
  }));
  let added = 0;
  for (const part of chunk(rows, 2000)) {
    const res = await sql`
      insert into data_quality_ledger (kind, source, asset_id, symbol, asset_type, date, raw, reason)
      select kind, source, asset_id, symbol, asset_type, date, raw::jsonb, reason
      from jsonb_to_recordset(${sql.json(part as never)})
        as r(kind text, source text, asset_id bigint, symbol text, asset_type text, date text, raw text, reason text)
      on conflict do nothing`;
    added += res.count;
  }
  return added;
}

/** Each asset's last `count` stored closes before `before`, oldest first (the jump check's baseline). */
export async function loadRecentCloses(
  sql: Sql,
  assets: readonly { id: number; symbol: string }[],
  before: string,
  count = 61,
): Promise<Map<string, number[]>> {
  const rows = await sql<{ asset_id: number; closes: number[] }[]>`
    select w.asset_id, array(
      select close from (
        select date, close from daily_bars b where b.asset_id = w.asset_id and b.date < ${before}::date
        order by date desc limit ${count}
      ) recent order by date
    ) as closes
    from unnest(${assets.map((a) => a.id)}::bigint[]) as w(asset_id)`;
  const symbolById = new Map(assets.map((a) => [a.id, a.symbol]));
  return new Map(rows.map((r) => [symbolById.get(r.asset_id)!, r.closes]));
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
