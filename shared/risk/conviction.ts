// Conviction sizing per setup: winning trades build conviction, stop-outs cost twice as much. A pure reducer
// over trade outcomes, so the daily trade stage and an intraday consumer replaying the same outcomes agree.
import type { RiskDecision } from './types.ts';

/** How a closed trade ended: a win, a loss that was not a stop-out, or a stop-out. */
export type TradeOutcome = 'win' | 'loss' | 'stop';

/** Points per outcome, the multiplier each point is worth, and its bounds. */
export interface ConvictionConfig {
  win: number;
  stop: number;
  /** Multiplier change per point: multiplier = 1 + points × step, clamped. */
  step: number;
  min: number;
  max: number;
}

/** +1 per win, -2 per stop-out, 0.1 per point, multiplier within 0.5-1.5. */
export const DEFAULT_CONVICTION: ConvictionConfig = { win: 1, stop: -2, step: 0.1, min: 0.5, max: 1.5 };

/** Conviction points per setup; a setup never seen has 0. */
export type ConvictionBook = Readonly<Record<string, number>>;

/**
 * The book after one outcome of `setup`. Points stay within what the multiplier can express ((min-1)/step to
 * (max-1)/step), so a long winning streak does not bank credit that hides the next stop-outs.
 */
export function recordOutcome(
  book: ConvictionBook,
  setup: string,
  outcome: TradeOutcome,
  config: ConvictionConfig = DEFAULT_CONVICTION,
): ConvictionBook {
  const change = outcome === 'win' ? config.win : outcome === 'stop' ? config.stop : 0;
  const lo = (config.min - 1) / config.step;
  const hi = (config.max - 1) / config.step;
  const points = Math.max(lo, Math.min(hi, (book[setup] ?? 0) + change));
  return { ...book, [setup]: points };
}

/** The size multiplier of `setup`: 1 + points × step within [min, max]. */
export function convictionSizing(
  book: ConvictionBook,
  setup: string,
  config: ConvictionConfig = DEFAULT_CONVICTION,
): RiskDecision {
  const points = book[setup] ?? 0;
  // Rounded to 1e-12 so that 1 + 5 × 0.1 is 1.5, not 1.5000000000000002.
  const multiplier = Number(Math.max(config.min, Math.min(config.max, 1 + points * config.step)).toFixed(12));
  return {
    rule: 'conviction',
    allow: true,
    sizeMultiplier: multiplier,
    reason: `setup ${setup}: ${points >= 0 ? '+' : ''}${points} conviction points, size x${multiplier}`,
  };
}

/** How a closed trade ended: a stop-out whatever its profit, else a win above zero profit, else a loss. */
export function tradeOutcome(pnl: number, stoppedOut: boolean): TradeOutcome {
  return stoppedOut ? 'stop' : pnl > 0 ? 'win' : 'loss';
}

/**
 * The conviction book from closed trades in the order they closed: the one reading of a trade history
 * that the rebalance (from its ledger, shared/portfolio/ledger/trades.ts), the live brain and the learning
 * loop share.
 */
export function convictionBook(
  trades: Iterable<{ setup: string; outcome: TradeOutcome }>,
  config: ConvictionConfig = DEFAULT_CONVICTION,
): ConvictionBook {
  let book: ConvictionBook = {};
  for (const t of trades) book = recordOutcome(book, t.setup, t.outcome, config);
  return book;
}
