import type { Costs } from '../strategy/spec.ts';

/** +1 for a long position, -1 for a short one. */
export type Dir = 1 | -1;

/** The price an order fills at: `price` moved against the order by the slippage rate (buys up, sells down). */
export function slipped(price: number, buying: boolean, slippageRate: number): number {
  return buying ? price * (1 + slippageRate) : price * (1 - slippageRate);
}

/** The fee of one order: a fraction of its value plus the fixed amount. */
export function orderFee(qty: number, price: number, costs: Costs): number {
  return qty * price * costs.fee_rate + costs.fee_fixed;
}

/** Rounds a quantity down to whole units when the asset trades in whole units; 1e-9 absorbs float noise. */
export function roundUnits(qty: number, whole: boolean): number {
  return whole ? Math.floor(qty + 1e-9) : qty;
}

/**
 * Where a stop (or trailing stop) at `level` fills in a bar, or NaN when it does not fire. A long's stop
 * fires when the low reaches it and a short's when the high does; when the open is already through the
 * level (a gap), it fills at the open, which is worse than the level.
 */
export function stopPrice(dir: Dir, level: number, open: number, high: number, low: number): number {
  if (dir === 1) return open <= level ? open : low <= level ? level : NaN;
  return open >= level ? open : high >= level ? level : NaN;
}

/**
 * Where a profit target at `level` fills in a bar, or NaN: a limit order, so a bar that opens beyond it
 * fills at the open (better than the level), otherwise at the level once the high (short: low) reaches it.
 */
export function targetPrice(dir: Dir, level: number, open: number, high: number, low: number): number {
  if (dir === 1) return open >= level ? open : high >= level ? level : NaN;
  return open <= level ? open : low <= level ? level : NaN;
}

/** Why an entry got less than it asked for, or nothing. */
export type Limit = 'cash' | 'leverage' | 'volume';

/** An entry's quantity after the caps, and the cap that cut it (null when nothing did). */
export interface Capped {
  qty: number;
  limit: Limit | null;
}

/**
 * Caps an entry of `wanted` units at fill price `price` so that cash stays at or above `cashFloor`
 * (0 without leverage), gross exposure stays within `grossRoom`, and the order takes at most `volumeRoom`
 * units of the bar's volume. A long pays its value and fee from cash; a short receives its value and
 * pays only the fee.
 */
export function capEntry(
  dir: Dir,
  wanted: number,
  price: number,
  costs: Costs,
  cash: number,
  cashFloor: number,
  grossRoom: number,
  volumeRoom: number,
  whole: boolean,
): Capped {
  let qty = wanted;
  let limit: Limit | null = null;
  const cut = (max: number, why: Limit) => {
    // The first cap that cut the order to nothing names the refusal.
    if (qty > max && qty > 0) {
      qty = Math.max(0, max);
      limit = why;
    }
  };
  const spendable = cash - cashFloor - costs.fee_fixed;
  cut(dir === 1 ? spendable / (price * (1 + costs.fee_rate)) : Number.POSITIVE_INFINITY, 'cash');
  if (dir === -1 && spendable < 0) cut(0, 'cash');
  cut(grossRoom / price, 'leverage');
  cut(volumeRoom, 'volume');
  return { qty: roundUnits(qty, whole), limit };
}
