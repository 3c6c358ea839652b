import { todayUtc } from '../calendar/index.ts';
import type { AssetType, RawBar } from '../domain/market.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { parseBarsCsv } from '../providers/csv/parse.ts';
import { screenBars } from '../quality/screen.ts';
import { upsertAssets } from '../universes/index.ts';
import { type LedgerEntry, loadRecentCloses, recordLedger, upsertBars } from './store.ts';

/** What an import stored and what it kept aside. */
export interface ImportResult {
  symbols: number;
  bars: number;
  written: number;
  rejected: number;
  /** Bars stored but flagged (e.g. a jump far outside the recent distribution). */
  flagged: number;
  /** The first rejected rows, located by file line or by symbol and date. */
  rejectedSample: { where: string; reason: string }[];
}

/**
 * Imports a CSV of bars: unknown symbols become assets, bars that pass the quality screen are
 * upserted with source 'csv', and every rejected or flagged row goes to the data-quality ledger.
 */
export async function importCsv(
  ctx: PipelineContext,
  opts: { text: string; assetType: AssetType; defaultSymbol?: string },
): Promise<ImportResult> {
  const parsed = parseBarsCsv(opts.text, opts.defaultSymbol ? { defaultSymbol: opts.defaultSymbol } : {});
  const symbols = [...new Set(parsed.bars.map((b) => b.symbol))];
  await upsertAssets(
    ctx.sql,
    symbols.map((symbol) => ({ symbol, assetType: opts.assetType, name: symbol })),
  );
  const assets = await ctx.sql<{ id: number; symbol: string }[]>`
    select id, symbol from assets where asset_type = ${opts.assetType} and symbol = any(${symbols})`;
  const idBySymbol = new Map(assets.map((r) => [r.symbol, r.id]));
  let firstDate = '9999-12-31';
  for (const b of parsed.bars) if (b.date < firstDate) firstDate = b.date;
  const { accepted, rejected } = screenBars(
    parsed.bars.map((bar) => ({ bar, source: 'csv' })),
    { today: todayUtc(), recentCloses: await loadRecentCloses(ctx.sql, assets, firstDate) },
  );
  const written = await upsertBars(
    ctx.sql,
    idBySymbol,
    accepted.map((a) => a.bar),
    'csv',
  );
  const entry = (kind: LedgerEntry['kind'], bar: RawBar, reason: string) => ({
    where: `${bar.symbol} ${bar.date}`,
    kind,
    source: 'csv',
    assetId: idBySymbol.get(bar.symbol) ?? null,
    symbol: bar.symbol,
    assetType: opts.assetType,
    date: bar.date,
    raw: bar,
    reason,
  });
  const ledger: (LedgerEntry & { where: string })[] = [
    ...parsed.rejected.map((r) => ({
      where: `line ${r.line}`,
      kind: 'rejected' as const,
      source: 'csv',
      symbol: null,
      assetType: opts.assetType,
      date: null,
      raw: r.raw,
      reason: r.reason,
    })),
    ...rejected.map((r) => entry('rejected', r.bar, r.reason)),
    ...accepted.flatMap((a) => a.flags.map((reason) => entry('flagged', a.bar, reason))),
  ];
  await recordLedger(ctx.sql, ledger);
  const rejectedCount = parsed.rejected.length + rejected.length;
  return {
    symbols: new Set(accepted.map((a) => a.bar.symbol)).size,
    bars: accepted.length,
    written,
    rejected: rejectedCount,
    flagged: ledger.length - rejectedCount,
    rejectedSample: ledger.slice(0, 10).map((r) => ({ where: r.where, reason: `${r.kind}: ${r.reason}` })),
  };
}
