import type { AssetInfo, AssetType } from '../../domain/market.ts';
import { AppError, errorMessage } from '../../errors/index.ts';
import { chunk } from '../../pipeline/chunk.ts';
import type { BarsRequest, BarsResult, IncomingBar, MarketDataProvider, SymbolError } from '../types.ts';

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
        return { bars: [], errors: symbols.map((symbol) => ({ symbol, error, retryable: false })) };
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
    const retryable = err instanceof AppError && err.retryable;
    return { bars: [], errors: symbols.map((symbol) => ({ symbol, error, retryable })) };
  }
}

/**
 * Holds every symbol to all or nothing: a symbol with an error keeps no bars (half a range would
 * stop the fallback provider from filling the rest), and a symbol that got neither bars nor an
 * error is reported, so the next provider gets to try it. Every bar of a served symbol is handed on
 * as parsed, duplicates, future dates and bad fields included: the bar screen judges them, so each
 * reaches the ledger. Bars of symbols nobody asked for are not this request's data and are ignored.
 */
function finish(symbols: readonly string[], req: BarsRequest, results: readonly BarsResult[]): BarsResult {
  const errors = new Map<string, SymbolError>();
  for (const r of results) for (const e of r.errors) if (!errors.has(e.symbol)) errors.set(e.symbol, e);
  const wanted = new Set(symbols);
  const bars = results
    .flatMap((r) => r.bars)
    .filter((bar) => wanted.has(bar.symbol) && !errors.has(bar.symbol))
    // Stable: copies of one date keep the order the provider sent them in.
    .sort((a, b) => (a.symbol === b.symbol ? compare(a.date, b.date) : compare(a.symbol, b.symbol)));
  const served = new Set(bars.map((b) => b.symbol));
  for (const symbol of symbols) {
    if (!served.has(symbol) && !errors.has(symbol)) {
      errors.set(symbol, {
        symbol,
        error: `no bars for ${symbol} between ${req.from} and ${req.to}`,
        retryable: false,
      });
    }
  }
  return { bars, errors: symbols.flatMap((symbol) => errors.get(symbol) ?? []) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A response record's fields by name; a record that is not an object has none (every field missing). */
export function fieldsOf(record: unknown): Record<string, unknown> {
  return record !== null && typeof record === 'object' && !Array.isArray(record)
    ? (record as Record<string, unknown>)
    : {};
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A bar as parsed from one response record, its values as they came (see IncomingBar). When a
 * value is not a finite number or the date could not be read, the provider's record goes along as
 * `raw`, so the ledger shows what was actually sent.
 */
export function incomingBar(
  symbol: string,
  date: string,
  values: { open: unknown; high: unknown; low: unknown; close: unknown; volume: unknown },
  raw: unknown,
): IncomingBar {
  const clean =
    ISO_DATE.test(date) && Object.values(values).every((v) => typeof v === 'number' && Number.isFinite(v));
  return { symbol, date, ...values, ...(clean ? {} : { raw }) };
}

/**
 * The UTC date of a timestamp as a provider sent it (epoch ms, or a date-time string), shifted by
 * `offsetMs`; a value that is neither comes back as text, so the screen rejects the bar naming it.
 */
export function dateOf(value: unknown, offsetMs = 0): string {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  const date = new Date(ms + offsetMs);
  if (!Number.isNaN(date.getTime())) return date.toISOString().slice(0, 10);
  return value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}

/** Epoch seconds of 00:00 UTC on a 'YYYY-MM-DD' date. */
export function epochSeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}
