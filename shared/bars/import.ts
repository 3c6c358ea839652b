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
/** `daily_bars.source` of imported bars, as a binary COPY text field. */
const SOURCE = new TextEncoder().encode('csv');

// Dropped at commit, so a pooled connection never keeps it.
const CREATE_STAGING = `create temp table import_bars (
  asset_id bigint not null, date date not null, open float8 not null, high float8 not null,
  low float8 not null, close float8 not null, volume float8 not null) on commit drop`;

/**
 * Imports a CSV of bars in one transaction, holding off other writers of `daily_bars`: unknown
 * symbols become assets; every symbol's bars pass the quality screen (against its stored closes
 * before the file's first date) and stream through binary COPY as they are screened. A symbol
 * with no stored bar in the file's date range goes straight into `daily_bars`; the others go into a
 * staging table, compared with the stored bars in one join; the changed ones are updated and the
 * new ones inserted.
 * Bars already stored with the same values are not touched, so importing the same file again
 * writes nothing. Rejected and flagged rows go to the data-quality ledger. A failure leaves what
 * was stored before as it was.
 */
export async function importCsv(
  ctx: PipelineContext,
  opts: { text: string; assetType: AssetType; defaultSymbol?: string },
): Promise<ImportResult> {
  const parsed = parseBarsCsv(opts.text, opts.defaultSymbol ? { defaultSymbol: opts.defaultSymbol } : {});
  // The parser returns each symbol's bars together, oldest first.
  const bySymbol = new Map<string, RawBar[]>();
  for (let i = 0; i < parsed.bars.length; ) {
    const { symbol } = parsed.bars[i]!;
    let end = i + 1;
    while (end < parsed.bars.length && parsed.bars[end]!.symbol === symbol) end++;
    bySymbol.set(symbol, parsed.bars.slice(i, end));
    i = end;
  }
  const symbols = [...bySymbol.keys()];
  const firstDates = symbols.map((s) => bySymbol.get(s)![0]!.date);
  const lastDates = symbols.map((s) => bySymbol.get(s)!.at(-1)!.date);
  const firstDate = [...firstDates].sort()[0] ?? '9999-12-31';

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
    // Other writers wait for the import instead of racing it for the same keys.
    await tx`lock table daily_bars in share row exclusive mode`;
    // The latest-bar trigger sorts every written row and the staging join hashes the file: in memory.
    await tx`set local work_mem = '64MB'`;
    const recentCloses = await loadRecentCloses(sql, assets, firstDate);

    // A symbol with no stored bar in its file's date range only adds rows: those go straight into
    // daily_bars (COPY writes pages in batches, an insert row by row); the others through staging.
    const overlapping = new Set(
      (
        await tx<{ symbol: string }[]>`
          select f.symbol from unnest(${symbols}::text[], ${firstDates}::date[], ${lastDates}::date[])
            as f(symbol, first, last)
          join assets a on a.asset_type = ${opts.assetType} and a.symbol = f.symbol
          where exists (select 1 from daily_bars b where b.asset_id = a.id and b.date between f.first and f.last)`
      ).map((r) => r.symbol),
    );

    // Duplicates and jumps are per symbol, so screening symbol by symbol is screening the file.
    const today = todayUtc();
    // Only flagged bars are kept for the ledger; the others are counted as they stream.
    const screened: { accepted: ScreenedBar[]; rejected: RejectedBar[] } = { accepted: [], rejected: [] };
    let acceptedBars = 0;
    let copied = 0;
    let acceptedSymbols = 0;
    // A file repeats each trading day once per symbol: its day number is computed once.
    const days = new Map<string, number>();
    const dayOf = (date: string) => {
      let day = days.get(date);
      if (day === undefined) {
        day = pgDays(date);
        days.set(date, day);
      }
      return day;
    };
    function* screenedPieces(stored: boolean, withSource: boolean): Generator<Uint8Array> {
      const rowBytes = ROW_BYTES + (withSource ? SOURCE.length + 4 : 0);
      let buf = new Uint8Array(PIECE_BYTES + rowBytes);
      let view = new DataView(buf.buffer);
      buf.set(COPY_BINARY_HEADER);
      let at = COPY_BINARY_HEADER.length;
      for (const [symbol, bars] of bySymbol) {
        if (overlapping.has(symbol) !== stored) continue;
        const assetId = BigInt(idBySymbol.get(symbol)!);
        // The parser applied validateBar's rules to every bar it returned.
        const { accepted, rejected } = screenBars(
          bars.map((bar) => ({ bar, source: 'csv' })),
          { today, recentCloses, validated: true },
        );
        screened.rejected.push(...rejected);
        acceptedBars += accepted.length;
        if (!stored) copied += accepted.length;
        if (accepted.length > 0) acceptedSymbols++;
        for (const a of accepted) {
          if (a.flags.length > 0) screened.accepted.push(a);
          if (at > PIECE_BYTES) {
            yield buf.subarray(0, at);
            buf = new Uint8Array(PIECE_BYTES + rowBytes);
            view = new DataView(buf.buffer);
            at = 0;
          }
          view.setInt16(at, withSource ? 8 : 7);
          view.setInt32(at + 2, 8);
          view.setBigInt64(at + 6, assetId);
          view.setInt32(at + 14, 4);
          view.setInt32(at + 18, dayOf(a.bar.date));
          at += 22;
          for (const field of PRICES) {
            view.setInt32(at, 8);
            view.setFloat64(at + 4, a.bar[field]);
            at += 12;
          }
          if (withSource) {
            view.setInt32(at, SOURCE.length);
            buf.set(SOURCE, at + 4);
            at += 4 + SOURCE.length;
          }
        }
      }
      buf.set(COPY_BINARY_TRAILER, at);
      yield buf.subarray(0, at + COPY_BINARY_TRAILER.length);
    }
    await copyIn(
      tx,
      'copy daily_bars (asset_id, date, open, high, low, close, volume, source) from stdin (format binary)',
      screenedPieces(false, true),
    );
    await tx.unsafe(CREATE_STAGING);
    await copyIn(tx, 'copy import_bars from stdin (format binary)', screenedPieces(true, false));
    // One pass over the staged bars against the stored ones keeps only what differs: on an unchanged
    // re-import nothing, and neither write below touches daily_bars.
    await tx`
      create temp table import_changes on commit drop as
      select s.*, b.asset_id is null as new from import_bars s
      left join daily_bars b on b.asset_id = s.asset_id and b.date = s.date
      where b.asset_id is null
         or (b.open, b.high, b.low, b.close, b.volume) is distinct from (s.open, s.high, s.low, s.close, s.volume)`;
    const updated = await tx`
      update daily_bars b
      set open = s.open, high = s.high, low = s.low, close = s.close, volume = s.volume,
          source = 'csv', ingested_at = now()
      from import_changes s
      where not s.new and b.asset_id = s.asset_id and b.date = s.date`;
    const inserted = await tx`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      select asset_id, date, open, high, low, close, volume, 'csv' from import_changes where new`;

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
      symbols: acceptedSymbols,
      bars: acceptedBars,
      inserted: copied + inserted.count,
      updated: updated.count,
      unchanged: acceptedBars - copied - inserted.count - updated.count,
      rejected: parsed.rejected.length + screened.rejected.length,
      flagged: screenEntries.length - screened.rejected.length,
      ledgered,
      rejectedSample: sample.map((r) => ({ where: r.where, reason: `${r.kind}: ${r.reason}` })),
    };
  });
}
