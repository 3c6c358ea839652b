import { z } from 'zod';
import type {
  BrokerAccount,
  BrokerOrder,
  BrokerPosition,
  MarketClock,
  OrderStatus,
  TimeInForce,
} from '../types.ts';

// Alpaca Trading API v2 objects (docs.alpaca.markets, "Orders", "Positions", "Account", "Clock") as
// far as the adapter reads them. Alpaca sends quantities and prices as decimal strings.

const decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});
const optionalDecimal = decimal.nullish().transform((v) => v ?? null);

interface AlpacaOrderShape {
  id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: string;
  qty: number | null;
  filled_qty: number;
  filled_avg_price: number | null;
  limit_price: number | null;
  stop_price: number | null;
  status: string;
  time_in_force: string;
  submitted_at: string | null;
  created_at: string;
  filled_at: string | null;
  legs: AlpacaOrderShape[] | null;
}

/** An Alpaca order, its bracket legs nested. */
export const AlpacaOrder: z.ZodType<AlpacaOrderShape> = z.lazy(() =>
  z.object({
    id: z.string(),
    client_order_id: z.string(),
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    type: z.string(),
    qty: optionalDecimal,
    filled_qty: decimal,
    filled_avg_price: optionalDecimal,
    limit_price: optionalDecimal,
    stop_price: optionalDecimal,
    status: z.string(),
    time_in_force: z.string(),
    submitted_at: z.string().nullable(),
    created_at: z.string(),
    filled_at: z.string().nullable(),
    legs: z
      .array(AlpacaOrder)
      .nullish()
      .transform((v) => v ?? null),
  }),
);

export const AlpacaPosition = z.object({
  symbol: z.string(),
  qty: decimal,
  side: z.enum(['long', 'short']),
  avg_entry_price: decimal,
  current_price: optionalDecimal,
});

export const AlpacaAccount = z.object({
  currency: z.string(),
  cash: decimal,
  equity: decimal,
  buying_power: decimal,
  pattern_day_trader: z.boolean(),
  trading_blocked: z.boolean(),
  account_blocked: z.boolean().optional(),
});

export const AlpacaClock = z.object({
  timestamp: z.string(),
  is_open: z.boolean(),
  next_open: z.string(),
  next_close: z.string(),
});

/** One entry of DELETE /v2/orders' multi-status answer. */
export const AlpacaCancelAll = z.array(z.object({ id: z.string(), status: z.number() }));

// Alpaca's statuses beyond the interface's: pending_* and done_for_day are still the broker's to
// finish; `held` is a bracket leg waiting for its parent; replaced/stopped/suspended/calculated end
// or pause the order as the nearest final state says.
const STATUS: Record<string, OrderStatus> = {
  new: 'new',
  accepted: 'accepted',
  pending_new: 'accepted',
  accepted_for_bidding: 'accepted',
  held: 'accepted',
  pending_cancel: 'accepted',
  pending_replace: 'accepted',
  calculated: 'accepted',
  stopped: 'accepted',
  suspended: 'accepted',
  done_for_day: 'accepted',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'canceled',
  replaced: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
};

const TIF: Record<string, TimeInForce> = { day: 'day', gtc: 'gtc', opg: 'opg', cls: 'cls' };

function orderType(type: string): BrokerOrder['type'] {
  if (type === 'market' || type === 'limit' || type === 'trailing_stop') return type;
  return type === 'stop' || type === 'stop_limit' ? 'stop' : 'market';
}

/**
 * The interface's order from Alpaca's. Bracket legs get the client ids the interface names
 * (`<parent>-tp` for the take-profit limit, `<parent>-sl` for the stop), since Alpaca gives legs ids
 * of its own.
 */
export function toBrokerOrder(o: AlpacaOrderShape, parentClientId?: string): BrokerOrder {
  const clientOrderId =
    parentClientId === undefined
      ? o.client_order_id
      : `${parentClientId}-${o.type === 'limit' ? 'tp' : 'sl'}`;
  return {
    id: o.id,
    clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: orderType(o.type),
    qty: o.qty ?? o.filled_qty,
    status: STATUS[o.status] ?? 'accepted',
    filledQty: o.filled_qty,
    filledAvgPrice: o.filled_avg_price,
    limitPrice: o.limit_price,
    stopPrice: o.stop_price,
    timeInForce: TIF[o.time_in_force] ?? 'day',
    submittedAt: o.submitted_at ?? o.created_at,
    filledAt: o.filled_at,
    legs: (o.legs ?? []).map((leg) => toBrokerOrder(leg, o.client_order_id)),
  };
}

export function toBrokerPosition(p: z.infer<typeof AlpacaPosition>): BrokerPosition {
  // Alpaca sends a short's qty as a positive number with side "short" on some accounts, negative on others.
  const qty = p.side === 'short' ? -Math.abs(p.qty) : p.qty;
  return {
    symbol: p.symbol,
    qty,
    avgEntryPrice: p.avg_entry_price,
    marketPrice: p.current_price ?? p.avg_entry_price,
  };
}

export function toBrokerAccount(a: z.infer<typeof AlpacaAccount>): BrokerAccount {
  return {
    currency: a.currency,
    cash: a.cash,
    equity: a.equity,
    buyingPower: a.buying_power,
    patternDayTrader: a.pattern_day_trader,
    tradingBlocked: a.trading_blocked || Boolean(a.account_blocked),
  };
}

export function toMarketClock(c: z.infer<typeof AlpacaClock>): MarketClock {
  return { timestamp: c.timestamp, isOpen: c.is_open, nextOpen: c.next_open, nextClose: c.next_close };
}
