import { z } from 'zod';
import type { BrokerOrder, OrderStatus, TimeInForce } from '../types.ts';

// Client Portal Web API objects (interactivebrokers.github.io/cpwebapi, "Orders", "Portfolio",
// "Contract") as far as the adapter reads them.

const num = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v.replace(/,/g, ''));
  if (v === '' || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});

/** POST /tickle: whether the gateway's brokerage session is logged in. */
export const Tickle = z.object({
  iserver: z
    .object({
      authStatus: z.object({ authenticated: z.boolean(), competing: z.boolean().optional() }).partial(),
    })
    .partial()
    .optional(),
});

/** GET /trsrv/stocks?symbols=...: contracts per symbol. */
export const Stocks = z.record(
  z.string(),
  z.array(
    z.object({
      assetClass: z.string().optional(),
      contracts: z.array(
        z.object({ conid: num, exchange: z.string().optional(), isUS: z.boolean().optional() }),
      ),
    }),
  ),
);

/** One answer to an order submission or a reply: the order placed, a question to confirm, or an error. */
export const OrderReply = z.union([
  z.object({ order_id: z.union([z.string(), z.number()]), order_status: z.string().optional() }),
  z.object({
    id: z.string(),
    message: z.array(z.string()),
    messageIds: z.array(z.string()).optional(),
  }),
  z.object({ error: z.string() }),
]);
export type OrderReply = z.infer<typeof OrderReply>;

/** The orders endpoint answers a list, or a single error object. */
export const OrderReplies = z.union([OrderReply.array(), z.object({ error: z.string() })]);

/** An order from GET /iserver/account/orders. */
export const LiveOrder = z.object({
  orderId: num,
  conid: num,
  ticker: z.string(),
  side: z.string(),
  status: z.string(),
  totalSize: num,
  filledQuantity: num.optional(),
  avgPrice: num.optional(),
  price: num.optional(),
  auxPrice: num.optional(),
  orderType: z.string(),
  timeInForce: z.string().optional(),
  order_ref: z.string().optional(),
  lastExecutionTime_r: z.number().optional(),
  parentId: num.optional(),
});
export type LiveOrder = z.infer<typeof LiveOrder>;

/** GET /iserver/account/orders. */
export const LiveOrders = z.object({ orders: z.array(LiveOrder).nullish() });

/** One execution from GET /iserver/account/trades (the last days' fills, orders of past sessions included). */
export const Execution = z.object({
  execution_id: z.string(),
  symbol: z.string(),
  side: z.string(),
  size: num,
  price: num,
  order_ref: z.string().optional(),
  trade_time_r: z.number(),
});
export type Execution = z.infer<typeof Execution>;

/**
 * An order of a past session rebuilt from its executions (the live order list holds only the current
 * session's): what filled, at the size-weighted price, as a filled order. The quantity asked for is
 * not in the executions, so an order that filled in part before it expired reads as filled for that part.
 */
export function orderFromExecutions(clientOrderId: string, fills: readonly Execution[]): BrokerOrder | null {
  if (fills.length === 0) return null;
  const qty = fills.reduce((sum, f) => sum + f.size, 0);
  const value = fills.reduce((sum, f) => sum + f.size * f.price, 0);
  const first = Math.min(...fills.map((f) => f.trade_time_r));
  const last = Math.max(...fills.map((f) => f.trade_time_r));
  return {
    // Executions do not carry IBKR's order id; the first execution's id stands in.
    id: fills[0]!.execution_id,
    clientOrderId,
    symbol: fills[0]!.symbol,
    side: fills[0]!.side.toUpperCase().startsWith('B') ? 'buy' : 'sell',
    type: 'market',
    qty,
    status: 'filled',
    filledQty: qty,
    filledAvgPrice: value / qty,
    limitPrice: null,
    stopPrice: null,
    timeInForce: 'day',
    submittedAt: new Date(first).toISOString(),
    filledAt: new Date(last).toISOString(),
    legs: [],
  };
}

/** One row of GET /portfolio/{accountId}/positions/{page}. */
export const PortfolioPosition = z.object({
  conid: num,
  contractDesc: z.string().optional(),
  ticker: z.string().optional(),
  position: num,
  mktPrice: num,
  avgPrice: num.optional(),
  avgCost: num.optional(),
  currency: z.string().optional(),
});

const Amount = z.object({ amount: num.nullish(), currency: z.string().nullish() }).partial();

/** GET /portfolio/{accountId}/summary: each value as {amount, currency}, names in lower case. */
export const Summary = z
  .object({
    totalcashvalue: Amount,
    netliquidation: Amount,
    buyingpower: Amount,
    daytradesremaining: Amount.optional(),
  })
  .passthrough();

// IBKR's order statuses (TWS API "Order status"). PreSubmitted: held by IBKR's own simulation until
// it triggers (stops, brackets); Inactive: rejected or not yet valid (outside hours, margin).
const STATUS: Record<string, OrderStatus> = {
  PendingSubmit: 'accepted',
  PreSubmitted: 'accepted',
  ApiPending: 'accepted',
  PendingCancel: 'accepted',
  WarnState: 'accepted',
  Submitted: 'new',
  Filled: 'filled',
  Cancelled: 'canceled',
  ApiCancelled: 'canceled',
  Inactive: 'rejected',
};

const TIF: Record<string, TimeInForce> = { DAY: 'day', GTC: 'gtc', OPG: 'opg', CLOSE: 'cls' };

function orderType(o: LiveOrder): BrokerOrder['type'] {
  const t = o.orderType.toUpperCase().replace(/[^A-Z]/g, '');
  if (t === 'LIMIT' || t === 'LMT') return 'limit';
  if (t.startsWith('TRAIL')) return 'trailing_stop';
  if (t === 'STOP' || t === 'STP' || t === 'STOPLIMIT') return 'stop';
  return 'market';
}

/**
 * The interface's order from IBKR's live order row; `legs` are its bracket children. IBKR's row has
 * no submission time: `lastExecutionTime_r` (the last status change) stands in, else `now`.
 */
export function toBrokerOrder(o: LiveOrder, legs: BrokerOrder[], now: string): BrokerOrder {
  const filled = o.filledQuantity ?? 0;
  const base = STATUS[o.status] ?? 'accepted';
  const status: OrderStatus = base === 'new' && filled > 0 ? 'partially_filled' : base;
  const type = orderType(o);
  const executed = o.lastExecutionTime_r ? new Date(o.lastExecutionTime_r).toISOString() : null;
  return {
    id: String(o.orderId),
    clientOrderId: o.order_ref ?? String(o.orderId),
    symbol: o.ticker,
    side: o.side.toUpperCase() === 'BUY' ? 'buy' : 'sell',
    type,
    qty: o.totalSize,
    status,
    filledQty: filled,
    filledAvgPrice: filled > 0 && o.avgPrice !== undefined ? o.avgPrice : null,
    limitPrice: type === 'limit' ? (o.price ?? null) : null,
    // IBKR keeps a stop's trigger in `price` for STP orders and in `auxPrice` for STP LMT.
    stopPrice: type === 'stop' || type === 'trailing_stop' ? (o.auxPrice ?? o.price ?? null) : null,
    timeInForce: TIF[(o.timeInForce ?? 'DAY').toUpperCase()] ?? 'day',
    submittedAt: executed ?? now,
    filledAt: status === 'filled' ? executed : null,
    legs,
  };
}
