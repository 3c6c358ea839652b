import { todayUtc } from '../calendar/index.ts';
import type { Sql } from '../db/client.ts';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER, copyIn, pgDays } from '../db/copy.ts';
import type { AssetType, RawBar } from '../domain/market.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { parseBarsCsv } from '../providers/csv/parse.ts';
import { type RejectedBar, type ScreenedBar, screenBars } from '../quality/screen.ts';
import { type LedgerEntry, loadRecentCloses, recordLedger, screenLedger } from './store.ts';

/** What an import stored and what it kept aside. */
export interface ImportResult {
  symbols: number;
  /** Bars that passed the screen. */
  bars: number;
  /** Of those: new (symbol, date) pairs, stored bars whose values changed, bars already stored as they are. */
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Bars stored but flagged (e.g. a jump far outside the recent distribution). */
  flagged: number;
  /** Ledger rows this import added: none when the same file was imported before. */
  ledgered: number;
  /** The first rejected rows, located by file line or by symbol and date. */
  rejectedSample: { where: string; reason: string }[];
}

/** Bytes handed to the connection at a time. */
const PIECE_BYTES = 1 << 20;
/** A staged row: field count, then length and value of asset_id (8), date (4) and five float8. */
const ROW_BYTES = 2 + 12 + 8 + 5 * 12;
const PRICES = ['open', 'high', 'low', 'close', 'volume'] as const;

// Dropped at commit, so a pooled connection never keeps it.
const CREATE_STAGING = `create temp table import_bars (
  asset_id bigint not null, date date not null, open float8 not null, high float8 not null,
  low float8 not null, close float8 not null, volume float8 not null) on commit drop`;

/**
 * Imports a CSV of bars in one transaction: unknown symbols become assets; every symbol's bars pass
 * the quality screen (against its stored closes before the file's first date) and stream through a
 * binary COPY into a staging table as they are screened; then stored bars whose values changed are
 * updated and new ones inserted, each in one statement. Bars already stored with the same values are
 * not touched, so importing the same file again writes nothing. Rejected and flagged rows go to the
 * data-quality ledger. A failure leaves what was stored before as it was.
 */
export async function importCsv(
  ctx: PipelineContext,
  opts: { text: string; assetType: AssetType; defaultSymbol?: string },
): Promise<ImportResult> {
  const parsed = parseBarsCsv(opts.text, opts.defaultSymbol ? { defaultSymbol: opts.defaultSymbol } : {});
  const bySymbol = new Map<string, RawBar[]>();
  let firstDate = '9999-12-31';
  for (const bar of parsed.bars) {
    const list = bySymbol.get(bar.symbol);
    if (list) list.push(bar);
    else bySymbol.set(bar.symbol, [bar]);
    if (bar.date < firstDate) firstDate = bar.date;
  }
  const symbols = [...bySymbol.keys()];

  return ctx.sql.begin(async (tx) => {
    // postgres.js types a transaction apart from a pool, but it runs the same queries.
    const sql = tx as unknown as Sql;
    // Known assets keep their names; only new symbols are added.
    await tx`
      insert into assets (symbol, asset_type, name)
      select s, ${opts.assetType}, s from unnest(${symbols}::text[]) as s
      on conflict (asset_type, symbol) do nothing`;
    const assets = await tx<{ id: number; symbol: string }[]>`
      select id, symbol from assets where asset_type = ${opts.assetType} and symbol = any(${symbols})`;
    const idBySymbol = new Map(assets.map((r) => [r.symbol, r.id]));
    const recentCloses = await loadRecentCloses(sql, assets, firstDate);

    // Duplicates and jumps are per symbol, so screening symbol by symbol is screening the file.
    const today = todayUtc();
    const screened: { accepted: ScreenedBar[]; rejected: RejectedBar[] } = { accepted: [], rejected: [] };
    function* screenedPieces(): Generator<Uint8Array> {
      let buf = new Uint8Array(PIECE_BYTES + ROW_BYTES);
      let view = new DataView(buf.buffer);
      buf.set(COPY_BINARY_HEADER);
      let at = COPY_BINARY_HEADER.length;
      for (const [symbol, bars] of bySymbol) {
        const assetId = BigInt(idBySymbol.get(symbol)!);
        const { accepted, rejected } = screenBars(
          bars.map((bar) => ({ bar, source: 'csv' })),
          { today, recentCloses },
        );
        screened.rejected.push(...rejected);
        for (const a of accepted) {
          screened.accepted.push(a);
          if (at > PIECE_BYTES) {
            yield buf.subarray(0, at);
            buf = new Uint8Array(PIECE_BYTES + ROW_BYTES);
            view = new DataView(buf.buffer);
            at = 0;
          }
          view.setInt16(at, 7);
          view.setInt32(at + 2, 8);
          view.setBigInt64(at + 6, assetId);
          view.setInt32(at + 14, 4);
          view.setInt32(at + 18, pgDays(a.bar.date));
          at += 22;
          for (const field of PRICES) {
            view.setInt32(at, 8);
            view.setFloat64(at + 4, a.bar[field]);
            at += 12;
          }
        }
      }
      buf.set(COPY_BINARY_TRAILER, at);
      yield buf.subarray(0, at + COPY_BINARY_TRAILER.length);
    }
    await tx.unsafe(CREATE_STAGING);
    await copyIn(tx, 'copy import_bars from stdin (format binary)', screenedPieces());

    // Other writers wait for the few seconds of the merge instead of racing it for the same keys.
    await tx`lock table daily_bars in share row exclusive mode`;
    const updated = await tx`
      update daily_bars b
      set open = s.open, high = s.high, low = s.low, close = s.close, volume = s.volume,
          source = 'csv', ingested_at = now()
      from import_bars s
      where b.asset_id = s.asset_id and b.date = s.date
        and (b.open, b.high, b.low, b.close, b.volume) is distinct from (s.open, s.high, s.low, s.close, s.volume)`;
    const inserted = await tx`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      select s.asset_id, s.date, s.open, s.high, s.low, s.close, s.volume, 'csv' from import_bars s
      where not exists (select 1 from daily_bars b where b.asset_id = s.asset_id and b.date = s.date)`;

    const parseRejections: (LedgerEntry & { where: string })[] = parsed.rejected.map((r) => ({
      where: `line ${r.line}`,
      kind: 'rejected',
      source: 'csv',
      symbol: null,
      assetType: opts.assetType,
      date: null,
      raw: r.raw,
      reason: r.reason,
    }));
    const screenEntries = screenLedger(screened, opts.assetType, idBySymbol);
    const ledgered = await recordLedger(sql, [...parseRejections, ...screenEntries]);
    const sample = [
      ...parseRejections,
      ...screenEntries.map((e) => ({ ...e, where: `${e.symbol} ${e.date}` })),
    ].slice(0, 10);
    return {
      symbols: new Set(screened.accepted.map((a) => a.bar.symbol)).size,
      bars: screened.accepted.length,
      inserted: inserted.count,
      updated: updated.count,
      unchanged: screened.accepted.length - inserted.count - updated.count,
      rejected: parsed.rejected.length + screened.rejected.length,
      flagged: screenEntries.length - screened.rejected.length,
      ledgered,
      rejectedSample: sample.map((r) => ({ where: r.where, reason: `${r.kind}: ${r.reason}` })),
    };
  });
}
