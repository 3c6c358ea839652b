import type { AssetType } from '../domain/market.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { parseBarsCsv } from '../providers/csv/parse.ts';
import { validateBar } from '../providers/validate.ts';
import { upsertAssets } from '../universes/index.ts';
import { type RejectedRow, recordRejects, upsertBars } from './store.ts';

/** What an import stored and what it kept aside. */
export interface ImportResult {
  symbols: number;
  bars: number;
  written: number;
  rejected: number;
  /** The first rejected rows, located by file line or by symbol and date. */
  rejectedSample: { where: string; reason: string }[];
}

/**
 * Imports a CSV of bars: unknown symbols become assets, valid bars are upserted with source 'csv',
 * and every rejected row is kept in `rejected_bars` with its reason.
 */
export async function importCsv(
  ctx: PipelineContext,
  opts: { text: string; assetType: AssetType; defaultSymbol?: string },
): Promise<ImportResult> {
  const parsed = parseBarsCsv(opts.text, opts.defaultSymbol ? { defaultSymbol: opts.defaultSymbol } : {});
  const rejects: (RejectedRow & { where: string })[] = parsed.rejected.map((r) => ({
    where: `line ${r.line}`,
    source: 'csv',
    symbol: null,
    assetType: opts.assetType,
    date: null,
    raw: r.raw,
    reason: r.reason,
  }));
  const valid = parsed.bars.filter((bar) => {
    const reason = validateBar(bar);
    if (reason) {
      rejects.push({
        where: `${bar.symbol} ${bar.date}`,
        source: 'csv',
        symbol: bar.symbol,
        assetType: opts.assetType,
        date: bar.date,
        raw: bar,
        reason,
      });
    }
    return !reason;
  });
  const symbols = [...new Set(valid.map((b) => b.symbol))];
  await upsertAssets(
    ctx.sql,
    symbols.map((symbol) => ({ symbol, assetType: opts.assetType, name: symbol })),
  );
  const ids = await ctx.sql<{ id: number; symbol: string }[]>`
    select id, symbol from assets where asset_type = ${opts.assetType} and symbol = any(${symbols})`;
  const written = await upsertBars(ctx.sql, new Map(ids.map((r) => [r.symbol, r.id])), valid, 'csv');
  await recordRejects(ctx.sql, rejects);
  return {
    symbols: symbols.length,
    bars: valid.length,
    written,
    rejected: rejects.length,
    rejectedSample: rejects.slice(0, 10).map((r) => ({ where: r.where, reason: r.reason })),
  };
}
