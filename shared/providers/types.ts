import type { AssetInfo, AssetType, RawBar } from '../domain/market.ts';

/** A request for daily bars of some symbols over an inclusive date range. */
export interface BarsRequest {
  assetType: AssetType;
  symbols: string[];
  from: string;
  to: string;
}

/** What a provider returns: bars it got and the symbols it could not serve, with why. */
export interface BarsResult {
  bars: RawBar[];
  errors: { symbol: string; error: string }[];
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
