import type { AssetType } from '../../domain/market.ts';
import { type TradeOutcome, tradeOutcome } from '../../risk/conviction.ts';

// Closed trades from a portfolio's fills: a trade opens when a position leaves zero and closes when it
// returns to zero, however many fills (adds, trims) lie between. Its profit is every sale less every
// purchase and every fee over those fills, so a trim realises nothing on its own; a trade still open
// has no outcome yet. Conviction (shared/risk/conviction.ts) and the protections read these.

/** A fill as the closed-trade reading needs it (a portfolio_fills row). */
export interface TradeFill {
  date: string;
  symbol: string;
  asset_type: AssetType;
  side: 'buy' | 'sell';
  qty: number;
  price: number;
  fee: number;
  /** The rule that made the fill: `rebalance:next_open`, `stop_loss`, ... */
  rule: string;
}

/** One round trip from flat to flat. */
export interface ClosedTrade {
  symbol: string;
  assetType: AssetType;
  /** The opening fill's rule up to its first `:` (`rebalance`, a strategy's entry rule). */
  setup: string;
  /** The direction of the opening fill. */
  side: 'long' | 'short';
  entryDate: string;
  exitDate: string;
  /** Quantity-weighted prices of the fills that opened or added, and of those that reduced or closed. */
  entryPrice: number;
  exitPrice: number;
  pnl: number;
  /** pnl over the value of every opening fill. */
  returnPct: number;
  /** The closing fill was a stop-loss (rule `stop`, `stop_gap_open`, `stop_loss`). */
  stoppedOut: boolean;
  outcome: TradeOutcome;
}

// The fill contract's stop-loss rules (a stop, a stop gapped through at the open); a trailing stop is
// judged by its profit like any other exit.
const STOP_RULE = /(^|:)stop(_gap_open|_loss)?$/;

/** Whether a fill's rule is a stop-loss exit. */
export const isStopRule = (rule: string): boolean => STOP_RULE.test(rule);

/** Quantity and value of one direction's fills. */
interface Leg {
  qty: number;
  value: number;
}

/** The closed trades in `fills` (in the order they were applied), in the order they closed. */
export function closedTrades(fills: readonly TradeFill[]): ClosedTrade[] {
  const open = new Map<
    string,
    { qty: number; cash: number; setup: string; entryDate: string; dir: 1 | -1; legs: [Leg, Leg] }
  >();
  const out: ClosedTrade[] = [];
  for (const f of fills) {
    const key = `${f.asset_type}:${f.symbol}`;
    const signed = f.side === 'buy' ? f.qty : -f.qty;
    const t = open.get(key) ?? {
      qty: 0,
      cash: 0,
      setup: f.rule.split(':')[0]!,
      entryDate: f.date,
      dir: signed > 0 ? 1 : -1,
      legs: [
        { qty: 0, value: 0 },
        { qty: 0, value: 0 },
      ],
    };
    // Leg 0 opens or adds (the trade's direction), leg 1 reduces or closes.
    const leg = t.legs[Math.sign(signed) === t.dir ? 0 : 1];
    leg.qty += f.qty;
    leg.value += f.qty * f.price;
    t.qty += signed;
    t.cash += -signed * f.price - f.fee;
    // Float sums of fractional quantities leave crumbs; below a billionth of a unit the position is flat.
    if (Math.abs(t.qty) > 1e-9) {
      open.set(key, t);
      continue;
    }
    open.delete(key);
    const stoppedOut = isStopRule(f.rule);
    out.push({
      symbol: f.symbol,
      assetType: f.asset_type,
      setup: t.setup,
      side: t.dir === 1 ? 'long' : 'short',
      entryDate: t.entryDate,
      exitDate: f.date,
      entryPrice: t.legs[0].value / t.legs[0].qty,
      exitPrice: t.legs[1].value / t.legs[1].qty,
      pnl: t.cash,
      returnPct: t.cash / t.legs[0].value,
      stoppedOut,
      outcome: tradeOutcome(t.cash, stoppedOut),
    });
  }
  return out;
}
