import type { AssetInfo, AssetType, RawBar } from '../../domain/market.ts';
import { errorMessage } from '../../errors/index.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { BarsRequest, BarsResult, MarketDataProvider } from '../types.ts';

/** What a provider can do, declared once (freqtrade's exchange `_ft_has`): the generic code reads it. */
export interface ProviderCapabilities {
  assetTypes: readonly AssetType[];
  /** Symbols one request can carry (1: a request per symbol). */
  batchSize: number;
  /** One request returns a whole market's day, so the provider takes every symbol at once. */
  groupedDaily: boolean;
}

/** A market-data provider over HTTP, with its capabilities on show. */
export interface HttpProvider extends MarketDataProvider {
  capabilities: ProviderCapabilities;
}

/** The per-provider part: identity, capabilities, and how to fetch one batch. */
export interface ProviderSpec {
  id: string;
  description: string;
  capabilities: ProviderCapabilities;
  /**
   * Bars for one batch (batchSize symbols, or all of them for grouped-daily providers). It may
   * throw: the batch's symbols then fail with that message. Symbols it cannot serve go to errors.
   */
  fetchBatch(symbols: string[], req: BarsRequest): Promise<BarsResult>;
  listAssets?(assetType: AssetType): Promise<AssetInfo[]>;
}

/**
 * The generic provider every HTTP provider is: checks the asset type, splits symbols into batches,
 * runs them concurrently (the HTTP client paces them) and turns failures into per-symbol errors,
 * so a provider call never throws for a network or data problem.
 */
export function createHttpProvider(spec: ProviderSpec): HttpProvider {
  const { capabilities } = spec;
  return {
    id: spec.id,
    description: spec.description,
    assetTypes: capabilities.assetTypes,
    capabilities,
    ...(spec.listAssets ? { listAssets: spec.listAssets } : {}),
    async fetchDailyBars(req: BarsRequest): Promise<BarsResult> {
      const symbols = [...new Set(req.symbols)];
      if (!capabilities.assetTypes.includes(req.assetType)) {
        const error = `serves ${capabilities.assetTypes.join(' and ')} only, not ${req.assetType}`;
        return { bars: [], errors: symbols.map((symbol) => ({ symbol, error })) };
      }
      const batches = capabilities.groupedDaily ? [symbols] : chunk(symbols, capabilities.batchSize);
      const results = await Promise.all(
        batches.map((batch) => settle(batch, () => spec.fetchBatch(batch, req))),
      );
      return finish(symbols, req, results);
    },
  };
}

/** Runs the work for some symbols; if it throws, each of them gets the error instead of bars. */
export async function settle(
  symbols: readonly string[],
  work: () => Promise<BarsResult>,
): Promise<BarsResult> {
  try {
    return await work();
  } catch (err) {
    const error = errorMessage(err);
    return { bars: [], errors: symbols.map((symbol) => ({ symbol, error })) };
  }
}

/**
 * Holds every symbol to all or nothing: a symbol with an error keeps no bars (half a range would
 * stop the fallback provider from filling the rest), bars outside the request are dropped, and a
 * symbol that got neither bars nor an error is reported, so the next provider gets to try it.
 */
function finish(symbols: readonly string[], req: BarsRequest, results: readonly BarsResult[]): BarsResult {
  const errors = new Map<string, string>();
  for (const r of results) for (const e of r.errors) if (!errors.has(e.symbol)) errors.set(e.symbol, e.error);
  const wanted = new Set(symbols);
  const byKey = new Map<string, RawBar>();
  for (const r of results) {
    for (const bar of r.bars) {
      if (!wanted.has(bar.symbol) || errors.has(bar.symbol)) continue;
      if (bar.date < req.from || bar.date > req.to) continue;
      byKey.set(`${bar.symbol}|${bar.date}`, bar);
    }
  }
  const bars = [...byKey.values()].sort((a, b) =>
    a.symbol === b.symbol ? (a.date < b.date ? -1 : 1) : a.symbol < b.symbol ? -1 : 1,
  );
  const served = new Set(bars.map((b) => b.symbol));
  for (const symbol of symbols) {
    if (!served.has(symbol) && !errors.has(symbol)) {
      errors.set(symbol, `no bars for ${symbol} between ${req.from} and ${req.to}`);
    }
  }
  return {
    bars,
    errors: symbols.flatMap((symbol) => (errors.has(symbol) ? [{ symbol, error: errors.get(symbol)! }] : [])),
  };
}

/** The UTC calendar date of an instant, as 'YYYY-MM-DD'. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Epoch seconds of 00:00 UTC on a 'YYYY-MM-DD' date. */
export function epochSeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}
