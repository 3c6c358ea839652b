import type { Sql } from '../db/client.ts';
import { float8s } from '../db/packed.ts';
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

/**
 * Loads each asset's bar history up to `to` (inclusive), oldest first, as typed arrays; with `lastBars`,
 * only each asset's last `lastBars` bars up to `to` (a tail, as a resumed features day reads). The columns
 * travel as packed binary (float8send/int4send concatenated per asset): decoding them costs a small
 * fraction of parsing the same values as text, and a features job reads tens of thousands of bars.
 */
export async function loadBarSeries(
  sql: Sql,
  assetIds: readonly number[],
  to: string,
  lastBars?: number,
): Promise<Map<number, BarSeries>> {
  const rows = await sql<
    {
      asset_id: number;
      d: Uint8Array;
      o: Uint8Array;
      h: Uint8Array;
      l: Uint8Array;
      c: Uint8Array;
      v: Uint8Array;
    }[]
  >`
    select asset_id,
           string_agg(int4send(date - date '2000-01-01'), '' order by date) as d,
           string_agg(float8send(open), '' order by date) as o, string_agg(float8send(high), '' order by date) as h,
           string_agg(float8send(low), '' order by date) as l, string_agg(float8send(close), '' order by date) as c,
           string_agg(float8send(volume), '' order by date) as v
    from ${
      lastBars === undefined
        ? sql`daily_bars where asset_id = any(${assetIds as number[]}::bigint[]) and date <= ${to}`
        : sql`unnest(${assetIds as number[]}::bigint[]) as a(id) cross join lateral (
            select * from daily_bars b where b.asset_id = a.id and b.date <= ${to}
            order by b.date desc limit ${lastBars}) tail`
    }
    group by asset_id`;
  const dateOf = new Map<number, string>();
  const out = new Map<number, BarSeries>();
  for (const r of rows) {
    const days = new DataView(r.d.buffer, r.d.byteOffset, r.d.byteLength);
    const dates: string[] = new Array(r.d.byteLength / 4);
    for (let i = 0; i < dates.length; i++) {
      const day = days.getInt32(i * 4);
      let date = dateOf.get(day);
      if (date === undefined) {
        date = new Date(Date.UTC(2000, 0, 1 + day)).toISOString().slice(0, 10);
        dateOf.set(day, date);
      }
      dates[i] = date;
    }
    out.set(r.asset_id, {
      dates,
      open: float8s(r.o),
      high: float8s(r.h),
      low: float8s(r.l),
      close: float8s(r.c),
      volume: float8s(r.v),
    });
  }
  return out;
}
