import type { AssetInfo, AssetType } from '../domain/market.ts';

/** A request for daily bars of some symbols over an inclusive date range. */
export interface BarsRequest {
  assetType: AssetType;
  symbols: string[];
  from: string;
  to: string;
}

/**
 * A bar as a provider parsed it, before the bar screen (shared/quality/screen.ts) has seen it: the
 * price and volume fields hold whatever the response carried ("NaN", null, a string), so a bad
 * field rejects this bar alone instead of failing the whole response. Providers hand over every
 * bar they parsed, duplicates and future dates included; only the screen decides what is stored.
 */
export interface IncomingBar {
  symbol: string;
  date: string;
  open: unknown;
  high: unknown;
  low: unknown;
  close: unknown;
  volume: unknown;
  /** The provider's own record(s) behind the bar, for the ledger, when they differ from the fields above. */
  raw?: unknown;
}

/** A symbol a provider could not serve; `retryable` when the failure was transient (5xx, timeout, 429). */
export interface SymbolError {
  symbol: string;
  error: string;
  retryable?: boolean;
}

/** What a provider returns: bars it got and the symbols it could not serve, with why. */
export interface BarsResult {
  bars: IncomingBar[];
  errors: SymbolError[];
}

/** A source of daily OHLCV bars. Providers register in shared/providers/registry.ts. */
export interface MarketDataProvider {
  id: string;
  /** One line for the dashboard and logs. */
  description: string;
  assetTypes: readonly AssetType[];
  /** Assets the provider knows for a market (used to seed universes); optional. */
  listAssets?(assetType: AssetType): Promise<AssetInfo[]>;
  fetchDailyBars(req: BarsRequest): Promise<BarsResult>;
}
