import type { BarSeries } from '../domain/market.ts';

/** Groups features for the dictionary and the dashboard. */
export type FeatureCategory =
  | 'returns'
  | 'trend'
  | 'momentum'
  | 'volatility'
  | 'volume'
  | 'price_structure'
  | 'candle'
  | 'pattern'
  | 'relative';

/** One catalogue entry: the single definition behind a `daily_features` column. */
export interface FeatureDef {
  /** Column name, `<indicator>_<period>` in lower snake case. */
  name: string;
  /** One line a trader can read in the dashboard. */
  description: string;
  category: FeatureCategory;
  /** e.g. 'price', 'percent', 'fraction', 'ratio', 'shares', 'index 0-100'. */
  unit: string;
  /** Bars before the first defined value (TA-Lib's lookback where TA-Lib has the indicator). */
  lookback: number;
  /**
   * 'asset' (default): computed from the asset's own bars (and its benchmark's). 'universe': ranked
   * across the universe for the day, after every asset's features exist.
   */
  scope?: 'asset' | 'universe';
}

/** Options that depend on the market, not on the indicator. */
export interface FeatureOptions {
  /** Trading periods per year for annualising volatility: 252 for equities, 365 for crypto. */
  periodsPerYear: number;
  /** The market's benchmark (BTC for crypto, SPY for equities) for beta, correlation and relative strength. */
  benchmark?: BarSeries | undefined;
}
