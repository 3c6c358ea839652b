import { z } from 'zod';
import { errorMessage } from '../../errors/index.ts';
import {
  DEFAULT_LIMITS,
  type HttpClient,
  type HttpLimits,
  type ProviderHttpOptions,
  providerClient,
  requestJson,
} from '../../providers/http/client.ts';
import { perMinute } from '../../providers/http/token-bucket.ts';
import { httpStatus, submitSafely, transportError } from '../http.ts';
import {
  type Broker,
  BrokerError,
  type BrokerErrorKind,
  type BrokerOrder,
  checkOrderRequest,
  FINAL_STATUSES,
  type OrderRequest,
} from '../types.ts';
import {
  AlpacaAccount,
  AlpacaCancelAll,
  AlpacaClock,
  AlpacaOrder,
  AlpacaPosition,
  toBrokerAccount,
  toBrokerOrder,
  toBrokerPosition,
  toMarketClock,
} from './schema.ts';

/** Alpaca's paper-trading host: the default. */
export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
/** Alpaca's live host: real money, used only for a portfolio allowed to trade live. */
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';

const NAME = 'alpaca';

const LIMITS: HttpLimits = {
  ...DEFAULT_LIMITS,
  // 200 requests per minute per account (docs.alpaca.markets, "Trading API: rate limit").
  rates: [perMinute(200)],
  concurrency: 4,
  timeoutMs: 10_000,
};

/** Options for the Alpaca broker; `apiKey`/`apiSecret` are the APCA key id and secret of one account. */
export interface AlpacaBrokerOptions extends ProviderHttpOptions {
  apiKey: string;
  apiSecret: string;
  /** The live endpoint instead of paper: the caller has checked that this portfolio may trade real money. */
  live?: boolean;
  /** Sends of one order after a 429, timeout or 5xx (default 4); see `submitSafely`. */
  submitAttempts?: number;
}

// Alpaca's refusals, read from the message of its `{code, message}` body (the codes are shared by
// several refusals: 40310000 is any 403). Checked before the generic status reading.
const REFUSALS: readonly [RegExp, BrokerErrorKind][] = [
  [/pattern day trad/i, 'pattern_day_trader'],
  [/insufficient buying power/i, 'insufficient_buying_power'],
  [/wash trade/i, 'wash_trade'],
  [/client_order_id must be unique/i, 'duplicate_client_order_id'],
  [/insufficient qty|held_for_orders/i, 'insufficient_qty'],
];

function classify(err: unknown, client: HttpClient): BrokerError {
  const status = httpStatus(err);
  if (status === 403 || status === 422) {
    const message = errorMessage(err);
    const refusal = REFUSALS.find(([pattern]) => pattern.test(message));
    if (refusal) return new BrokerError(refusal[1], message, NAME);
    if (status === 422) return new BrokerError('invalid_order', message, NAME);
  }
  return transportError(err, NAME, client);
}

/**
 * A broker over Alpaca's Trading API v2: market, limit, bracket and trailing-stop orders addressed by
 * client order id, positions, account and market clock. Paper unless `live`. Requests go through the
 * resilient HTTP client (rate limit, Retry-After, circuit breaker); keys travel only in the
 * APCA-API-KEY-ID / APCA-API-SECRET-KEY headers and are redacted from every error message.
 */
export function createAlpacaBroker(opts: AlpacaBrokerOptions): Broker {
  const client = providerClient(
    {
      baseUrl: opts.live ? ALPACA_LIVE_URL : ALPACA_PAPER_URL,
      headers: { 'APCA-API-KEY-ID': opts.apiKey, 'APCA-API-SECRET-KEY': opts.apiSecret },
      secrets: [opts.apiKey, opts.apiSecret],
      // Alpaca's 429 names the window's end in X-RateLimit-Reset (epoch seconds), often without Retry-After.
      rateLimitReset: 'X-RateLimit-Reset',
      limits: LIMITS,
    },
    opts,
  );

  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw classify(err, client);
    }
  }

  async function getOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    try {
      const o = await requestJson(client, '/v2/orders:by_client_order_id', {
        query: { client_order_id: clientOrderId, nested: 'true' },
        schema: AlpacaOrder,
      });
      return toBrokerOrder(o);
    } catch (err) {
      if (httpStatus(err) !== 404) throw classify(err, client);
    }
    // A bracket leg has an Alpaca id of its own; it is found through its parent.
    const leg = /^(.+)-(tp|sl)$/.exec(clientOrderId);
    if (!leg?.[1]) return null;
    const parent = await getOrder(leg[1]);
    return parent?.legs.find((l) => l.clientOrderId === clientOrderId) ?? null;
  }

  async function submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    checkOrderRequest(req, NAME);
    const body = {
      symbol: req.symbol,
      qty: String(req.qty),
      side: req.side,
      type: req.type,
      time_in_force: req.timeInForce,
      client_order_id: req.clientOrderId,
      ...(req.limitPrice !== undefined ? { limit_price: String(req.limitPrice) } : {}),
      // Alpaca's trail_percent is in percent (2 = 2%); the interface's is a fraction.
      ...(req.trailPercent !== undefined ? { trail_percent: String(req.trailPercent * 100) } : {}),
      ...(req.trailPrice !== undefined ? { trail_price: String(req.trailPrice) } : {}),
      ...(req.bracket
        ? {
            order_class: 'bracket',
            take_profit: { limit_price: String(req.bracket.takeProfit) },
            stop_loss: { stop_price: String(req.bracket.stopLoss) },
          }
        : {}),
    };
    try {
      return await submitSafely({
        broker: NAME,
        clientOrderId: req.clientOrderId,
        client,
        attempts: opts.submitAttempts,
        send: async () =>
          toBrokerOrder(
            await requestJson(client, '/v2/orders', {
              method: 'POST',
              body,
              schema: AlpacaOrder,
              retries: 0,
            }),
          ),
        lookup: () => getOrder(req.clientOrderId),
        classify: (err) => classify(err, client),
      });
    } catch (err) {
      if (err instanceof BrokerError && err.kind === 'insufficient_qty') throw await heldOrShort(req, err);
      throw err;
    }
  }

  /**
   * Alpaca words both "not enough shares" and "shares held by other orders" as insufficient qty; the
   * position tells them apart: holding at least the quantity means other orders hold it.
   */
  async function heldOrShort(req: OrderRequest, err: BrokerError): Promise<BrokerError> {
    const held = (await positions()).find((p) => p.symbol === req.symbol)?.qty ?? 0;
    return held >= req.qty ? new BrokerError('held_for_orders', err.message, NAME) : err;
  }

  async function positions() {
    const list = await call(() => requestJson(client, '/v2/positions', { schema: AlpacaPosition.array() }));
    return list.map(toBrokerPosition);
  }

  async function openOrders(): Promise<BrokerOrder[]> {
    const list = await call(() =>
      requestJson(client, '/v2/orders', {
        query: { status: 'open', nested: 'true', limit: 500 },
        schema: AlpacaOrder.array(),
      }),
    );
    // Nested: a filled bracket parent comes with its working legs; each working order is listed once.
    return list
      .map((o) => toBrokerOrder(o))
      .flatMap((o) => [o, ...o.legs])
      .filter((o) => !FINAL_STATUSES.has(o.status));
  }

  async function cancelOrder(clientOrderId: string): Promise<BrokerOrder> {
    const order = await getOrder(clientOrderId);
    if (!order) throw new BrokerError('not_found', `no order with client order id ${clientOrderId}`, NAME);
    if (FINAL_STATUSES.has(order.status)) return order;
    try {
      await requestJson(client, `/v2/orders/${encodeURIComponent(order.id)}`, {
        method: 'DELETE',
        // 204 No Content when accepted; nothing in it is read.
        schema: z.unknown(),
      });
    } catch (err) {
      // 422: it reached a final state (filled) meanwhile; the order as it is now answers.
      if (httpStatus(err) !== 422) throw classify(err, client);
    }
    // Alpaca cancels asynchronously (pending_cancel first); a few looks settle it.
    for (let look = 0; ; look++) {
      const now = await getOrder(clientOrderId);
      if (!now) throw new BrokerError('not_found', `order ${clientOrderId} vanished while cancelling`, NAME);
      if (FINAL_STATUSES.has(now.status) || look >= 5) return now;
      await client.clock.sleep(200);
    }
  }

  return {
    name: NAME,
    paper: !opts.live,
    submitOrder,
    getOrder,
    openOrders,
    cancelOrder,
    async cancelAll() {
      const results = await call(() =>
        requestJson(client, '/v2/orders', { method: 'DELETE', schema: AlpacaCancelAll }),
      );
      return results.filter((r) => r.status >= 200 && r.status < 300).length;
    },
    positions,
    async account() {
      return toBrokerAccount(await call(() => requestJson(client, '/v2/account', { schema: AlpacaAccount })));
    },
    async clock() {
      return toMarketClock(await call(() => requestJson(client, '/v2/clock', { schema: AlpacaClock })));
    },
  };
}
