import { AppError, type ErrorCode } from '../errors/index.ts';

// One interface for every broker (the built-in paper broker, Alpaca, Interactive Brokers), so the
// rebalance and the kill switch never know which one they talk to (freqtrade's wallets/exchange shape).
// Orders are addressed by the client order id the ledger chose: it is what makes a retry after a timeout
// safe (look the order up by that id before sending it again), so no method takes the broker's own id.

/** Buy or sell; a sell with no position is refused by brokers that do not short (the paper broker). */
export type OrderSide = 'buy' | 'sell';

/** How an order is priced: at the market, at a limit or better, or a stop trailing the best price. */
export type OrderType = 'market' | 'limit' | 'trailing_stop';

/** How long an order lives: the session, until cancelled, at the opening or the closing auction. */
export type TimeInForce = 'day' | 'gtc' | 'opg' | 'cls';

/** A take-profit limit and a stop-loss attached to an entry; one cancels the other once either fills. */
export interface BracketLegs {
  takeProfit: number;
  stopLoss: number;
}

/** What the caller asks a broker to do. Prices are in the account currency; `qty` in units (shares, coins). */
export interface OrderRequest {
  /** Chosen by the caller, unique per broker account; resubmitting it never creates a second order. */
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  type: OrderType;
  timeInForce: TimeInForce;
  /** Required for `limit`. */
  limitPrice?: number;
  /** For `trailing_stop`: the distance from the best price as a fraction (0.02 = 2%) ... */
  trailPercent?: number;
  /** ... or in price; exactly one of the two. */
  trailPrice?: number;
  /** An entry with exits: a `market` or `limit` parent whose legs activate once it fills. */
  bracket?: BracketLegs;
}

/** An order's life: accepted and working, (partly) filled, or ended without a complete fill. */
export type OrderStatus =
  | 'new'
  | 'accepted'
  | 'partially_filled'
  | 'filled'
  | 'canceled'
  | 'expired'
  | 'rejected';

/** Statuses after which an order never changes again. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'expired',
  'rejected',
]);

/** An order as the broker knows it. */
export interface BrokerOrder {
  /** The broker's own id (informational; every call uses `clientOrderId`). */
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType | 'stop';
  qty: number;
  status: OrderStatus;
  filledQty: number;
  /** Quantity-weighted mean fill price, null before the first fill. */
  filledAvgPrice: number | null;
  limitPrice: number | null;
  stopPrice: number | null;
  timeInForce: TimeInForce;
  /** ISO timestamps. */
  submittedAt: string;
  filledAt: string | null;
  /** A bracket's take-profit and stop-loss orders (client ids `<parent>-tp` / `<parent>-sl`); empty otherwise. */
  legs: BrokerOrder[];
}

/** An order as a broker reports it just after accepting it: nothing filled, no legs yet. */
export function acceptedOrder(id: string, req: OrderRequest, submittedAt: string): BrokerOrder {
  return {
    id,
    clientOrderId: req.clientOrderId,
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    qty: req.qty,
    status: 'accepted',
    filledQty: 0,
    filledAvgPrice: null,
    limitPrice: req.limitPrice ?? null,
    stopPrice: null,
    timeInForce: req.timeInForce,
    submittedAt,
    filledAt: null,
    legs: [],
  };
}

/** An open position; `qty` is signed (below 0 short). */
export interface BrokerPosition {
  symbol: string;
  qty: number;
  avgEntryPrice: number;
  /** Last known price the broker marks the position at. */
  marketPrice: number;
}

/** The account's money. */
export interface BrokerAccount {
  currency: string;
  cash: number;
  /** Cash plus positions at their market price. */
  equity: number;
  buyingPower: number;
  /** True when the broker flags the account as a pattern day trader. */
  patternDayTrader: boolean;
  /** True when the broker refuses all trading on the account. */
  tradingBlocked: boolean;
}

/** Whether the market is open, and the next session's bounds (ISO timestamps). */
export interface MarketClock {
  timestamp: string;
  isOpen: boolean;
  nextOpen: string;
  nextClose: string;
}

/** A broker: one account, paper or live. Every method may throw a `BrokerError`. */
export interface Broker {
  /** `paper`, `alpaca`, `ibkr`. */
  readonly name: string;
  /** False only for an account that moves real money. */
  readonly paper: boolean;
  /** Sends an order; a client order id the broker already has is `duplicate_client_order_id`. */
  submitOrder(req: OrderRequest): Promise<BrokerOrder>;
  /** The order with this client order id, or null when the broker has none (never sent, or lost). */
  getOrder(clientOrderId: string): Promise<BrokerOrder | null>;
  /** Orders still working (not in a final status). */
  openOrders(): Promise<BrokerOrder[]>;
  /** Cancels a working order (`not_found` when unknown); an order already final is returned unchanged. */
  cancelOrder(clientOrderId: string): Promise<BrokerOrder>;
  /** Cancels every working order (the kill switch); returns how many were cancelled. */
  cancelAll(): Promise<number>;
  positions(): Promise<BrokerPosition[]>;
  account(): Promise<BrokerAccount>;
  clock(): Promise<MarketClock>;
}

/** Why a broker refused or failed a call. */
export const BROKER_ERROR_KINDS = [
  'invalid_order',
  'insufficient_buying_power',
  'insufficient_qty',
  'pattern_day_trader',
  'held_for_orders',
  'wash_trade',
  'duplicate_client_order_id',
  'market_closed',
  'rate_limited',
  'unavailable',
  'timeout',
  'unauthorized',
  'rejected',
  'not_found',
] as const;
export type BrokerErrorKind = (typeof BROKER_ERROR_KINDS)[number];

// Rate limits, outages and timeouts may pass; a refusal stays a refusal. A timeout is retryable only
// after the caller looked the order up by its client order id (the broker may have taken it).
const RETRYABLE: ReadonlySet<BrokerErrorKind> = new Set(['rate_limited', 'unavailable', 'timeout']);

const CODE: Record<BrokerErrorKind, ErrorCode> = {
  invalid_order: 'invalid_input',
  insufficient_buying_power: 'provider_rejected',
  insufficient_qty: 'provider_rejected',
  pattern_day_trader: 'provider_rejected',
  held_for_orders: 'provider_rejected',
  wash_trade: 'provider_rejected',
  duplicate_client_order_id: 'conflict',
  market_closed: 'provider_rejected',
  rate_limited: 'provider_unavailable',
  unavailable: 'provider_unavailable',
  timeout: 'provider_unavailable',
  unauthorized: 'provider_rejected',
  rejected: 'provider_rejected',
  not_found: 'not_found',
};

/** A broker's refusal or failure: `kind` says which, `retryable` whether the same call may succeed later. */
export class BrokerError extends AppError {
  constructor(
    readonly kind: BrokerErrorKind,
    message: string,
    readonly broker: string,
    extra: { retryAfterMs?: number; details?: unknown } = {},
  ) {
    super(CODE[kind], message, { retryable: RETRYABLE.has(kind), details: extra.details });
    this.name = 'BrokerError';
    this.retryAfterMs = extra.retryAfterMs;
  }

  /** The wait the broker asked for (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
}

const finitePositive = (x: number | undefined): boolean => x !== undefined && Number.isFinite(x) && x > 0;

/**
 * Checks a request before any broker sees it, with the same reasons for every broker: an `invalid_order`
 * BrokerError naming the field, so a malformed order is never sent.
 */
export function checkOrderRequest(req: OrderRequest, broker: string): void {
  const bad = (why: string): never => {
    throw new BrokerError('invalid_order', `order ${req.clientOrderId || '(no id)'}: ${why}`, broker);
  };
  if (!/^[A-Za-z0-9._:-]{1,48}$/.test(req.clientOrderId))
    bad('clientOrderId must be 1-48 characters of letters, digits and . _ : -');
  if (!/^[A-Z0-9][A-Z0-9./-]{0,20}$/.test(req.symbol))
    bad(`symbol ${JSON.stringify(req.symbol)} is not valid`);
  if (req.side !== 'buy' && req.side !== 'sell') bad('side must be buy or sell');
  if (!finitePositive(req.qty)) bad('qty must be a positive number');
  if (req.type === 'limit' && !finitePositive(req.limitPrice))
    bad('a limit order needs a positive limitPrice');
  if (req.type !== 'limit' && req.limitPrice !== undefined) bad('limitPrice is only read by limit orders');
  if (req.type === 'trailing_stop') {
    if ((req.trailPercent === undefined) === (req.trailPrice === undefined))
      bad('a trailing stop needs exactly one of trailPercent and trailPrice');
    if (req.trailPercent !== undefined && !(finitePositive(req.trailPercent) && req.trailPercent < 1))
      bad('trailPercent must be in (0, 1)');
    if (req.trailPrice !== undefined && !finitePositive(req.trailPrice)) bad('trailPrice must be positive');
  } else if (req.trailPercent !== undefined || req.trailPrice !== undefined)
    bad('trailPercent and trailPrice are only read by trailing stops');
  if (req.bracket) {
    const { takeProfit, stopLoss } = req.bracket;
    if (req.type === 'trailing_stop') bad('a bracket needs a market or limit parent');
    if (!finitePositive(takeProfit) || !finitePositive(stopLoss)) bad('bracket prices must be positive');
    const long = req.side === 'buy';
    if (long ? !(stopLoss < takeProfit) : !(stopLoss > takeProfit))
      bad(`a ${long ? 'long' : 'short'} bracket needs the stop ${long ? 'below' : 'above'} the take-profit`);
    const limit = req.limitPrice;
    if (
      limit !== undefined &&
      (long ? !(stopLoss < limit && limit < takeProfit) : !(takeProfit < limit && limit < stopLoss))
    )
      bad('the limit price must lie between the stop and the take-profit');
  }
}
