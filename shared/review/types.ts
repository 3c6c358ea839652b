import type { AssetType, Direction } from '../domain/market.ts';

/** A signal fact as the reviewer sees it. */
export interface ReviewSignal {
  template: string;
  direction: Direction;
  strength: number;
  evidence: Record<string, number | string | boolean | null>;
}

/** A data-quality ledger entry (rejected, flagged, reconciliation, gap) on a date of the reviewed bars. */
export interface ReviewQualityFlag {
  date: string;
  kind: string;
  reason: string;
}

/** Everything Stratos computed about one asset on one date; the only facts a reviewer may use. */
export interface ReviewInput {
  asset: { id: number; symbol: string; assetType: AssetType; name: string | null };
  asOfDate: string;
  /** Most recent bars, oldest first (about 60). */
  bars: { date: string; open: number; high: number; low: number; close: number; volume: number }[];
  /** Latest catalogue features by column name; null inside a lookback. */
  features: Record<string, number | null>;
  signals: ReviewSignal[];
  /** Ledger entries on the bars' dates, oldest first; absent in inputs built before the ledger existed. */
  quality?: ReviewQualityFlag[];
  /**
   * The grounding limit: entry zones within this many ATRs of the last close (default 3). Part of the
   * input so that the prompt states it, the check applies it and a change of it re-reviews.
   */
  maxEntryAtr?: number;
}
