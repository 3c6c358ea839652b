import type { AssetInfo, AssetType } from '../../domain/market.ts';
import type { BarsRequest, BarsResult, IncomingBar, MarketDataProvider } from '../types.ts';
import { parseBarsCsv } from './parse.ts';

/** One CSV file's text and the market its rows belong to; defaultSymbol serves files without a symbol column. */
export interface CsvSource {
  assetType: AssetType;
  text: string;
  defaultSymbol?: string;
}

/**
 * A provider serving bars parsed from CSV text the caller has already read (shared/ has no file
 * system). Parsing happens once, here. Like every provider it serves what it parsed, a date given
 * twice (in one file or in several) included, and refused rows whose symbol and date could be read
 * (a non-number cell, inconsistent OHLC), with their values as written: the bar screen judges them
 * all, so they reach the ledger. A row without a readable symbol or date belongs to no request.
 */
export function createCsvProvider(files: CsvSource[]): MarketDataProvider {
  const series: Record<AssetType, Map<string, IncomingBar[]>> = { crypto: new Map(), equity: new Map() };
  for (const file of files) {
    const opts = file.defaultSymbol ? { defaultSymbol: file.defaultSymbol } : {};
    const parsed = parseBarsCsv(file.text, opts);
    for (const bar of [...parsed.bars, ...parsed.rejected.flatMap((r) => (r.bar ? [r.bar] : []))]) {
      const bars = series[file.assetType].get(bar.symbol);
      if (bars) bars.push(bar);
      else series[file.assetType].set(bar.symbol, [bar]);
    }
  }
  // Stable: copies of a date keep file order.
  for (const bars of [...series.crypto.values(), ...series.equity.values()]) {
    bars.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
  const assetTypes = (['crypto', 'equity'] as const).filter((t) => series[t].size > 0);
  const counts = assetTypes.map((t) => `${series[t].size} ${t}`).join(', ');

  return {
    id: 'csv',
    description: `Bars from CSV files (${counts || 'no symbols'})`,
    assetTypes,
    async listAssets(assetType: AssetType): Promise<AssetInfo[]> {
      return [...series[assetType].keys()].map((symbol) => ({ symbol, assetType, name: symbol }));
    },
    async fetchDailyBars(req: BarsRequest): Promise<BarsResult> {
      const result: BarsResult = { bars: [], errors: [] };
      for (const symbol of req.symbols) {
        const bars = series[req.assetType].get(symbol);
        if (!bars) {
          result.errors.push({ symbol, error: `no ${req.assetType} bars for ${symbol} in the CSV files` });
          continue;
        }
        for (const bar of bars) {
          // Copies, so a caller that edits a bar cannot change what later requests see.
          if (bar.date >= req.from && bar.date <= req.to) result.bars.push({ ...bar });
        }
      }
      return result;
    },
  };
}
