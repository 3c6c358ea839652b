// Target weights against current positions: a BUY, SELL or HOLD per asset, each with the reason and the
// numbers behind it. Quantities are what the target weight buys at today's price, rounded down to whole units
// (equities) or to `fractionalStep` (crypto), so a rebalance on the same inputs after the trades filled finds
// every asset at its target and sends nothing.
import { roundUnits } from '../../engine/fills.ts';
import { AppError } from '../../errors/index.ts';
import type { TargetWeight } from '../targets/index.ts';

/** What the book holds of one asset (long only). */
export interface Holding {
  asset: string;
  quantity: number;
}

/** When a difference is worth a trade, and how quantities round. */
export interface DeltaConfig {
  /** Trades worth less than this (quantity × price, account currency) are HOLD. */
  minTradeValue: number;
  /** Weight differences below this (e.g. 0.005 = half a percent of equity) are HOLD. */
  threshold: number;
  /** Assets that trade in fractions (crypto); every other asset trades in whole units. */
  isFractional?: (asset: string) => boolean;
  /** Smallest fraction a fractional asset trades in (default 1e-8). */
  fractionalStep?: number;
}

/** One asset's decision: side, units to trade (0 for HOLD), the numbers it came from, and why. */
export interface DeltaTrade {
  asset: string;
  side: 'BUY' | 'SELL' | 'HOLD';
  quantity: number;
  currentQuantity: number;
  targetQuantity: number;
  currentWeight: number;
  targetWeight: number;
  /** The price the quantities were computed at; NaN when the asset has none. */
  price: number;
  reason: string;
}

const SIDE_ORDER = { SELL: 0, BUY: 1, HOLD: 2 } as const;

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/** Decimals of a step (1e-8: 8), so toFixed can trim the residue float arithmetic leaves (0.30000000000000004). */
function decimalsOf(step: number): number {
  return Math.max(0, Math.min(12, Math.ceil(-Math.log10(step) - 1e-9)));
}

function check(
  holdings: readonly Holding[],
  targets: readonly TargetWeight[],
  equity: number,
  config: DeltaConfig,
): void {
  for (const key of ['minTradeValue', 'threshold'] as const) {
    const v = config[key];
    if (!(v >= 0) || !Number.isFinite(v))
      throw new AppError('invalid_input', `${key} must be a finite number >= 0, got ${v}`);
  }
  if (!(equity > 0) || !Number.isFinite(equity))
    throw new AppError('invalid_input', `equity must be a positive number, got ${equity}`);
  for (const h of holdings) {
    if (!(h.quantity >= 0) || !Number.isFinite(h.quantity))
      throw new AppError('invalid_input', `position ${h.asset}: quantity must be >= 0, got ${h.quantity}`);
  }
  let total = 0;
  for (const t of targets) {
    if (!(t.weight >= 0) || !Number.isFinite(t.weight))
      throw new AppError('invalid_input', `target ${t.asset}: weight must be >= 0, got ${t.weight}`);
    total += t.weight;
  }
  if (total > 1 + 1e-9) throw new AppError('invalid_input', `target weights sum to ${total}, above 1`);
}

/**
 * BUY/SELL/HOLD per asset held or targeted, sells first, then buys, then holds (each by asset). An asset that
 * leaves the targets is sold whole whatever its size: the threshold tolerates drift, not unwanted positions.
 */
export function deltaTrades(
  holdings: readonly Holding[],
  targets: readonly TargetWeight[],
  prices: Readonly<Record<string, number>>,
  equity: number,
  config: DeltaConfig,
): DeltaTrade[] {
  check(holdings, targets, equity, config);
  const held = new Map<string, number>();
  for (const h of holdings) held.set(h.asset, (held.get(h.asset) ?? 0) + h.quantity);
  const wanted = new Map<string, number>();
  for (const t of targets) wanted.set(t.asset, (wanted.get(t.asset) ?? 0) + t.weight);
  const step = config.fractionalStep ?? 1e-8;
  if (!(step > 0 && step <= 1))
    throw new AppError('invalid_input', `fractionalStep must be in (0, 1], got ${step}`);
  const decimals = decimalsOf(step);
  // An asset neither held nor wanted (an optimizer's zero weight) needs no decision.
  const assets = [...new Set([...held.keys(), ...wanted.keys()])].filter(
    (a) => (held.get(a) ?? 0) > 0 || (wanted.get(a) ?? 0) > 0,
  );
  const trades = assets.map((asset): DeltaTrade => {
    const currentQuantity = held.get(asset) ?? 0;
    const targetWeight = wanted.get(asset) ?? 0;
    const price = prices[asset];
    if (price === undefined || price === null)
      return {
        asset,
        side: 'HOLD',
        quantity: 0,
        currentQuantity,
        targetQuantity: currentQuantity,
        currentWeight: Number.NaN,
        targetWeight,
        price: Number.NaN,
        reason: 'no price: not traded',
      };
    if (!(price > 0) || !Number.isFinite(price))
      throw new AppError('invalid_input', `price of ${asset} must be a positive number, got ${price}`);
    const currentWeight = (currentQuantity * price) / equity;
    const raw = (targetWeight * equity) / price;
    const fractional = config.isFractional?.(asset) ?? false;
    const targetQuantity = fractional
      ? Number((Math.floor(raw / step + 1e-9) * step).toFixed(decimals))
      : roundUnits(raw, true);
    const base = { asset, currentQuantity, targetQuantity, currentWeight, targetWeight, price };
    const hold = (reason: string): DeltaTrade => ({ ...base, side: 'HOLD', quantity: 0, reason });
    if (targetWeight === 0 && currentQuantity > 0)
      return {
        ...base,
        targetQuantity: 0,
        side: 'SELL',
        quantity: currentQuantity,
        reason: `exit: not in the targets (held ${pct(currentWeight)})`,
      };
    if (currentQuantity === 0 && targetQuantity === 0)
      return hold(
        `target ${pct(targetWeight)} buys less than one ${fractional ? 'step' : 'unit'} at ${price}`,
      );
    const delta = fractional
      ? Number((targetQuantity - currentQuantity).toFixed(decimals))
      : targetQuantity - currentQuantity;
    if (delta === 0) return hold(`at target (${pct(currentWeight)})`);
    const drift = targetWeight - currentWeight;
    if (Math.abs(drift) < config.threshold)
      return hold(
        `${pct(currentWeight)} vs target ${pct(targetWeight)}: below the ${pct(config.threshold)} threshold`,
      );
    const value = Math.abs(delta) * price;
    if (value < config.minTradeValue)
      return hold(`trade of ${value.toFixed(2)} below the minimum trade size ${config.minTradeValue}`);
    return {
      ...base,
      side: delta > 0 ? 'BUY' : 'SELL',
      quantity: Math.abs(delta),
      reason: `${delta > 0 ? 'under' : 'over'}weight: ${pct(currentWeight)} vs target ${pct(targetWeight)}`,
    };
  });
  return trades.sort(
    (a, b) => SIDE_ORDER[a.side] - SIDE_ORDER[b.side] || (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0),
  );
}
