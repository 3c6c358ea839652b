import { AppError } from '../../errors/index.ts';

// The ledger's arithmetic, pure: cash and positions move only through fills, positions are marked at
// closes, and equity is cash + Σ quantity × mark at every step. A fill that would leave an impossible
// state is refused whole, with its reason, and changes nothing.

/** One executed order as the ledger records it. `low`/`high` are the raw range of the bar it filled in. */
export interface LedgerFill {
  date: string;
  /** `<asset_type>:<symbol>`: one key per instrument. */
  key: string;
  side: 'buy' | 'sell';
  qty: number;
  /** The fill price, slippage included. */
  price: number;
  fee: number;
  low: number;
  high: number;
}

/** An open position: signed quantity, mean entry price, last mark. */
export interface LedgerPosition {
  qty: number;
  avgPrice: number;
  mark: number;
}

/** Cash and positions by key. */
export interface Ledger {
  cash: number;
  positions: Map<string, LedgerPosition>;
}

/** What the ledger allows: shorts, cash below zero (margin), and the slippage a fill may add to the bar's range. */
export interface LedgerRules {
  allowShort: boolean;
  margin: boolean;
  slippageRate: number;
}

/** Why a fill was refused. */
export type LedgerRefusalReason =
  | 'negative_price'
  | 'non_positive_qty'
  | 'negative_fee'
  | 'outside_bar'
  | 'negative_quantity'
  | 'negative_cash';

/** A refused fill: `reason` names the impossible state it would have made. */
export class LedgerRefusal extends AppError {
  constructor(
    readonly reason: LedgerRefusalReason,
    message: string,
  ) {
    super('invalid_input', message, { retryable: false, details: { reason } });
    this.name = 'LedgerRefusal';
  }
}

/** A ledger holding only `cash`. */
export function newLedger(cash: number): Ledger {
  return { cash, positions: new Map() };
}

// Sums of products leave a few ulps; a quantity or cash within this of zero is zero.
const EPS = 1e-9;

/**
 * Applies one fill, or throws a LedgerRefusal and leaves the ledger as it was: a price that is not
 * positive, a quantity that is not positive, a negative fee, a price outside the bar's range widened by
 * the slippage rate, a sale below zero units without shorting, a purchase below zero cash without margin.
 */
export function applyFill(ledger: Ledger, f: LedgerFill, rules: LedgerRules): void {
  const refuse = (reason: LedgerRefusalReason, why: string): never => {
    throw new LedgerRefusal(reason, `${f.date} ${f.side} ${f.qty} ${f.key} at ${f.price}: ${why}`);
  };
  if (!(f.price > 0) || !Number.isFinite(f.price)) refuse('negative_price', 'the price must be positive');
  if (!(f.qty > 0) || !Number.isFinite(f.qty)) refuse('non_positive_qty', 'the quantity must be positive');
  if (!(f.fee >= 0) || !Number.isFinite(f.fee)) refuse('negative_fee', 'the fee must not be negative');
  const lo = f.low * (1 - rules.slippageRate);
  const hi = f.high * (1 + rules.slippageRate);
  if (f.price < lo * (1 - EPS) || f.price > hi * (1 + EPS))
    refuse('outside_bar', `outside the bar's range ${f.low}..${f.high} (slippage ${rules.slippageRate})`);
  const pos = ledger.positions.get(f.key);
  const before = pos?.qty ?? 0;
  const signed = f.side === 'buy' ? f.qty : -f.qty;
  let after = before + signed;
  if (Math.abs(after) < EPS) after = 0;
  if (after < 0 && !rules.allowShort)
    refuse('negative_quantity', `would hold ${after} units without shorting`);
  let cash = ledger.cash - signed * f.price - f.fee;
  if (Math.abs(cash) < EPS) cash = 0;
  if (cash < 0 && !rules.margin) refuse('negative_cash', `would leave cash at ${cash} without margin`);

  ledger.cash = cash;
  if (after === 0) {
    ledger.positions.delete(f.key);
    return;
  }
  // Adding to a position moves its mean price; reducing keeps it; crossing zero starts a new one.
  const adds = before === 0 || Math.sign(before) === Math.sign(signed);
  const crosses = Math.sign(after) !== Math.sign(before) && before !== 0;
  const avgPrice = crosses
    ? f.price
    : adds
      ? (Math.abs(before) * (pos?.avgPrice ?? 0) + f.qty * f.price) / Math.abs(after)
      : pos!.avgPrice;
  ledger.positions.set(f.key, { qty: after, avgPrice, mark: pos?.mark ?? f.price });
}

/** Marks positions at the given prices (a day's closes); a position without one keeps its last mark. */
export function markLedger(ledger: Ledger, marks: ReadonlyMap<string, number>): void {
  for (const [key, p] of ledger.positions) {
    const m = marks.get(key);
    if (m !== undefined && m > 0) p.mark = m;
  }
}

/** The value of the positions at their marks. */
export function positionsValue(ledger: Ledger): number {
  let v = 0;
  for (const p of ledger.positions.values()) v += p.qty * p.mark;
  return v;
}

/** Cash plus the positions at their marks. */
export function ledgerEquity(ledger: Ledger): number {
  return ledger.cash + positionsValue(ledger);
}

/** One day's close of the ledger. */
export interface EquityPoint {
  date: string;
  cash: number;
  equity: number;
}

/**
 * Rebuilds a ledger from its starting cash and every fill in order, marking at each date's closes:
 * the positions and the equity curve the incremental ledger must equal exactly. @internal
 */
export function replayLedger(
  cash: number,
  fills: readonly LedgerFill[],
  days: readonly { date: string; marks: ReadonlyMap<string, number> }[],
  rules: LedgerRules,
): { ledger: Ledger; curve: EquityPoint[] } {
  const ledger = newLedger(cash);
  const curve: EquityPoint[] = [];
  let k = 0;
  for (const day of days) {
    while (k < fills.length && fills[k]!.date <= day.date) applyFill(ledger, fills[k++]!, rules);
    markLedger(ledger, day.marks);
    curve.push({ date: day.date, cash: ledger.cash, equity: ledgerEquity(ledger) });
  }
  while (k < fills.length) applyFill(ledger, fills[k++]!, rules);
  return { ledger, curve };
}
