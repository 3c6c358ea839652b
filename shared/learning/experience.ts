import type { AssetType } from '../domain/market.ts';
import type { TradeOutcome } from '../risk/conviction.ts';

/**
 * The market as a decision saw it: features, scores, regime and pattern flags by name, numbers only
 * (a flag is 0/1). Missing inputs are absent or null, never 0.
 */
export type Snapshot = Readonly<Record<string, number | null>>;

/** Where a trade was made. */
export type ExperienceSource = 'paper' | 'live';

/** One entry or exit of a trade, with the market snapshot at that moment. */
export interface Experience {
  /** The trade this event belongs to: its entry and its exit share it. */
  tradeKey: string;
  kind: 'entry' | 'exit';
  source: ExperienceSource;
  /** The setup (strategy, template or rule) that opened the trade: what learning groups by. */
  setup: string;
  symbol: string;
  assetType: AssetType;
  side: 'long' | 'short';
  /** ISO timestamp (a daily bar's date at 00:00 UTC). */
  at: string;
  price: number;
  /** Exits: the trade's net return over its entry value. */
  pnl?: number;
  /** Exits: how it ended, as conviction counts it. */
  outcome?: TradeOutcome;
  /** Exits: the rule that closed it (stop, target, trailing, time, ...). */
  exitReason?: string;
  snapshot: Snapshot;
}

/** A closed trade as learning reads it: the entry's snapshot and whether the trade paid. */
export interface LearnedTrade {
  tradeKey: string;
  setup: string;
  symbol: string;
  assetType: AssetType;
  side: 'long' | 'short';
  entryAt: string;
  entryPrice: number;
  exitAt: string;
  exitPrice: number;
  /** Net return over the entry value. */
  pnl: number;
  outcome: TradeOutcome;
  snapshot: Snapshot;
}
