import { z } from 'zod';
import { AppError, errorMessage } from '../../errors/index.ts';
import {
  DEFAULT_LIMITS,
  type HttpClient,
  type HttpLimits,
  type ProviderHttpOptions,
  providerClient,
  requestJson,
} from '../../providers/http/client.ts';
import { perSecond } from '../../providers/http/token-bucket.ts';
import { httpStatus, submitSafely, transportError } from '../http.ts';
import {
  acceptedOrder,
  type Broker,
  BrokerError,
  type BrokerErrorKind,
  type BrokerOrder,
  type BrokerPosition,
  checkOrderRequest,
  FINAL_STATUSES,
  type OrderRequest,
} from '../types.ts';
import { type ClientIdAllocator, createClientIdAllocator } from './client-ids.ts';
import { usEquityClock } from './clock.ts';
import {
  Execution,
  type LiveOrder,
  LiveOrders,
  OrderReplies,
  type OrderReply,
  orderFromExecutions,
  PortfolioPosition,
  Stocks,
  Summary,
  Tickle,
  toBrokerOrder,
} from './schema.ts';
import { marketSnapshot, type Quote } from './snapshot.ts';

// Interactive Brokers through the Client Portal Web API (REST on the Client Portal Gateway). Chosen
// over the TWS socket API because it is plain HTTPS: the same code runs in Deno Edge Functions (no
// long-lived socket) and is tested over its real protocol against a local fake, through the same
// resilient HTTP layer as every provider. The gateway holds the login; no key passes through here.

/** Where the Client Portal Gateway listens by default (it runs beside the caller). */
export const IBKR_GATEWAY_URL = 'https://localhost:5000/v1/api';

const NAME = 'ibkr';

const LIMITS: HttpLimits = {
  ...DEFAULT_LIMITS,
  // 10 requests per second per session across the API (IBKR "Pacing limitations").
  rates: [perSecond(10)],
  concurrency: 4,
  timeoutMs: 10_000,
};

// GET /iserver/account/orders and /iserver/account/trades are paced apart: one request per 5 seconds.
const ORDER_LIST_LIMITS: HttpLimits = { ...LIMITS, rates: [{ limit: 1, intervalMs: 5_000 }] };

/**
 * "Are you sure" messages (order reply ids) the adapter answers yes to: precautions about an order's
 * price, size or value against settings made for hand trading, and the absence of a market-data
 * subscription. The rebalance has sized and priced its orders on purpose. Every other question is
 * answered no and the order refused with the question as the reason.
 */
export const DEFAULT_CONFIRMED_REPLIES: readonly string[] = [
  'o163', // the limit price is more than the precautionary percentage away from the market
  'o354', // submitting without a market-data subscription
  'o383', // the size exceeds the precautionary size limit
  'o451', // the value exceeds the precautionary total value limit
];

// IBKR's refusals, read from the error text (the API gives no codes for them).
const REFUSALS: readonly [RegExp, BrokerErrorKind][] = [
  [/already (been )?registered|duplicate (order|client)/i, 'duplicate_client_order_id'],
  [/pattern day/i, 'pattern_day_trader'],
  [
    /buying power|available funds|insufficient funds|equity with loan|initial margin/i,
    'insufficient_buying_power',
  ],
  [/cross side|would cross|wash|self[- ]trad/i, 'wash_trade'],
  [/market (is )?closed|outside (of )?(regular )?trading hours/i, 'market_closed'],
];

function refusalKind(text: string): BrokerErrorKind {
  return REFUSALS.find(([pattern]) => pattern.test(text))?.[1] ?? 'rejected';
}

/** Options for the IBKR broker. */
export interface IbkrBrokerOptions extends ProviderHttpOptions {
  /** The account orders go to (paper accounts start with D: DU..., DF...). */
  accountId: string;
  /** Allows a real-money account; without it only a paper account is accepted. */
  live?: boolean;
  /** Reply message ids answered yes (default DEFAULT_CONFIRMED_REPLIES). */
  confirmReplies?: readonly string[];
  /** The client ids' source (default: one per process, shared by every IBKR broker in it). */
  clientIds?: ClientIdAllocator;
  /** Sends of one order after a 429, timeout or 5xx (default 4); see `submitSafely`. */
  submitAttempts?: number;
}

/** The IBKR broker: the Broker interface plus market-data snapshots. */
export interface IbkrBroker extends Broker {
  /** The client ids of its data and execution connections (never equal). */
  readonly clientIds: { readonly data: number; readonly execution: number };
  /** Last, bid, ask and the day's volume in shares for US stocks. */
  snapshot(symbols: readonly string[]): Promise<Quote[]>;
  /** Gives the client ids back to the allocator. */
  close(): void;
}

const processClientIds = createClientIdAllocator();

/** Gateway requests label their connection's client id, so its logs tell data from execution. */
const CLIENT_ID_HEADER = 'X-Stratos-IBKR-Client-Id';

/**
 * A broker over IBKR's Client Portal Web API: orders by client order id (IBKR's `cOID`, kept as the
 * order's `order_ref`), brackets as a parent with two child orders, trailing stops, the order-reply
 * questions answered explicitly, positions and account from the portfolio endpoints, the market clock
 * from the NYSE calendar. Refuses a real-money account unless `live`.
 */
export function createIbkrBroker(opts: IbkrBrokerOptions): IbkrBroker {
  const { accountId } = opts;
  if (!/^[A-Z]{1,3}\d{3,12}$/.test(accountId))
    throw new AppError('invalid_input', `IBKR account id ${JSON.stringify(accountId)} is not valid`);
  const paper = accountId.startsWith('D');
  if (!paper && !opts.live) {
    throw new AppError(
      'invalid_input',
      `IBKR account ${accountId} trades real money; a paper portfolio needs a paper account (DU...)`,
    );
  }
  const allocator = opts.clientIds ?? processClientIds;
  const clientIds = { data: allocator.acquire('data'), execution: allocator.acquire('execution') };
  const connection = (id: number, limits: HttpLimits) =>
    providerClient({ baseUrl: IBKR_GATEWAY_URL, headers: { [CLIENT_ID_HEADER]: String(id) }, limits }, opts);
  const exec = connection(clientIds.execution, LIMITS);
  const orderList = connection(clientIds.execution, ORDER_LIST_LIMITS);
  const tradeList = connection(clientIds.execution, ORDER_LIST_LIMITS);
  const data = connection(clientIds.data, LIMITS);
  const confirm = new Set(opts.confirmReplies ?? DEFAULT_CONFIRMED_REPLIES);
  const account = encodeURIComponent(accountId);
  const conids = new Map<string, { conid: number; usStock: boolean }>();
  let primed: Promise<void> | null = null;

  function classify(err: unknown, client: HttpClient = exec): BrokerError {
    if (err instanceof BrokerError) return err;
    const status = httpStatus(err);
    // The gateway's session ended (timed out, or another login took it): the next call checks it again.
    if (status === 401) primed = null;
    if (
      status !== undefined &&
      status >= 400 &&
      status < 500 &&
      status !== 401 &&
      status !== 404 &&
      status !== 429
    ) {
      const message = errorMessage(err);
      const kind = refusalKind(message);
      return new BrokerError(kind === 'rejected' && status === 400 ? 'invalid_order' : kind, message, NAME);
    }
    return transportError(err, NAME, client);
  }

  async function call<T>(run: () => Promise<T>, client?: HttpClient): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw classify(err, client);
    }
  }

  /**
   * Once per broker: the gateway's session must be logged in, and IBKR wants the account lists read
   * before the order and portfolio endpoints answer.
   */
  function prime(): Promise<void> {
    primed ??= (async () => {
      const tickle = await call(() => requestJson(exec, '/tickle', { method: 'POST', schema: Tickle }));
      const auth = tickle.iserver?.authStatus;
      if (!auth?.authenticated) {
        const why = auth?.competing ? 'another session competes for it' : 'it is not logged in';
        throw new BrokerError('unauthorized', `the Client Portal Gateway cannot trade: ${why}`, NAME);
      }
      const accounts = await call(() =>
        requestJson(exec, '/iserver/accounts', { schema: z.object({ accounts: z.array(z.string()) }) }),
      );
      if (!accounts.accounts.includes(accountId))
        throw new BrokerError(
          'unauthorized',
          `account ${accountId} is not among the gateway's accounts`,
          NAME,
        );
      await call(() => requestJson(exec, '/portfolio/accounts', { schema: z.array(z.unknown()) }));
    })().catch((err) => {
      primed = null;
      throw err;
    });
    return primed;
  }

  async function contractsOf(symbols: readonly string[]) {
    const unknown = symbols.filter((s) => !conids.has(s));
    if (unknown.length > 0) {
      const found = await call(() =>
        requestJson(exec, '/trsrv/stocks', { query: { symbols: unknown.join(',') }, schema: Stocks }),
      );
      for (const [symbol, entries] of Object.entries(found)) {
        const stock = entries.find((e) => (e.assetClass ?? 'STK') === 'STK') ?? entries[0];
        const contract = stock?.contracts.find((c) => c.isUS) ?? stock?.contracts[0];
        if (contract) conids.set(symbol, { conid: contract.conid, usStock: Boolean(contract.isUS) });
      }
    }
    return symbols.map((symbol) => {
      const c = conids.get(symbol);
      if (!c) throw new BrokerError('invalid_order', `IBKR knows no US stock ${symbol}`, NAME);
      return { symbol, ...c };
    });
  }

  async function liveOrders(): Promise<LiveOrder[]> {
    await prime();
    const body = await call(
      () => requestJson(orderList, '/iserver/account/orders', { schema: LiveOrders }),
      orderList,
    );
    return body.orders ?? [];
  }

  const nowIso = () => new Date(exec.clock.now()).toISOString();

  /** Every order of the session, bracket children attached to their parents (found by the -tp/-sl refs). */
  function assemble(rows: readonly LiveOrder[]): Map<string, BrokerOrder> {
    const byRef = new Map(rows.map((r) => [r.order_ref ?? String(r.orderId), r]));
    const out = new Map<string, BrokerOrder>();
    for (const [ref, row] of byRef) {
      const legs = ['tp', 'sl'].flatMap((leg) => {
        const child = byRef.get(`${ref}-${leg}`);
        return child ? [toBrokerOrder(child, [], nowIso())] : [];
      });
      out.set(ref, toBrokerOrder(row, legs, nowIso()));
    }
    return out;
  }

  /**
   * The order from the session's live list, else rebuilt from the last 7 days' executions: an order
   * placed in an earlier session (yesterday's rebalance) has left the live list once it filled.
   */
  async function getOrder(clientOrderId: string): Promise<BrokerOrder | null> {
    const live = assemble(await liveOrders()).get(clientOrderId);
    if (live) return live;
    const trades = await call(
      () =>
        requestJson(tradeList, '/iserver/account/trades', { query: { days: 7 }, schema: Execution.array() }),
      tradeList,
    );
    return orderFromExecutions(
      clientOrderId,
      trades.filter((t) => t.order_ref === clientOrderId),
    );
  }

  async function openOrders(): Promise<BrokerOrder[]> {
    return [...assemble(await liveOrders()).values()].filter((o) => !FINAL_STATUSES.has(o.status));
  }

  async function positions(): Promise<BrokerPosition[]> {
    await prime();
    const out: BrokerPosition[] = [];
    // 100 positions a page; a shorter page is the last.
    for (let page = 0; ; page++) {
      const rows = await call(() =>
        requestJson(exec, `/portfolio/${account}/positions/${page}`, { schema: PortfolioPosition.array() }),
      );
      for (const p of rows) {
        if (p.position === 0) continue;
        out.push({
          symbol: p.ticker ?? p.contractDesc ?? String(p.conid),
          qty: p.position,
          avgEntryPrice: p.avgPrice ?? p.avgCost ?? p.mktPrice,
          marketPrice: p.mktPrice,
        });
      }
      if (rows.length < 100) return out;
    }
  }

  /**
   * IBKR takes a sell beyond the position as a short sale; the interface refuses it, as a cash account
   * would: quantity other working sells hold is `held_for_orders`, quantity never held `insufficient_qty`.
   * A bracket's two exits hold the same shares once (one cancels the other).
   */
  async function checkSellable(req: OrderRequest): Promise<void> {
    const position = (await positions()).find((p) => p.symbol === req.symbol)?.qty ?? 0;
    const holds = new Map<string, number>();
    for (const o of await openOrders()) {
      for (const x of [o, ...o.legs]) {
        if (x.symbol !== req.symbol || x.side !== 'sell' || FINAL_STATUSES.has(x.status)) continue;
        const group = x.clientOrderId.replace(/-(tp|sl)$/, '');
        holds.set(group, Math.max(holds.get(group) ?? 0, x.qty - x.filledQty));
      }
    }
    const held = [...holds.values()].reduce((a, b) => a + b, 0);
    if (req.qty <= position - held) return;
    const message = `order ${req.clientOrderId}: selling ${req.qty} ${req.symbol}, ${position} held, ${held} of them by working orders`;
    throw new BrokerError(position >= req.qty ? 'held_for_orders' : 'insufficient_qty', message, NAME);
  }

  /** The order (and its bracket children) as the orders endpoint takes them. */
  function ibkrOrders(req: OrderRequest, conid: number) {
    const tif = req.timeInForce === 'cls' ? 'DAY' : req.timeInForce.toUpperCase();
    const parent = {
      acctId: accountId,
      conid,
      cOID: req.clientOrderId,
      side: req.side.toUpperCase(),
      quantity: req.qty,
      tif,
      // A market order for the closing auction is IBKR's MOC type.
      orderType:
        req.type === 'limit'
          ? 'LMT'
          : req.type === 'trailing_stop'
            ? 'TRAIL'
            : req.timeInForce === 'cls'
              ? 'MOC'
              : 'MKT',
      ...(req.limitPrice !== undefined ? { price: req.limitPrice } : {}),
      ...(req.trailPercent !== undefined ? { trailingType: '%', trailingAmt: req.trailPercent * 100 } : {}),
      ...(req.trailPrice !== undefined ? { trailingType: 'amt', trailingAmt: req.trailPrice } : {}),
    };
    if (!req.bracket) return [parent];
    const exit = {
      acctId: accountId,
      conid,
      side: req.side === 'buy' ? 'SELL' : 'BUY',
      quantity: req.qty,
      tif: 'GTC',
    };
    return [
      parent,
      {
        ...exit,
        cOID: `${req.clientOrderId}-tp`,
        parentId: req.clientOrderId,
        orderType: 'LMT',
        price: req.bracket.takeProfit,
      },
      // For a STP order IBKR reads the trigger from `price`.
      {
        ...exit,
        cOID: `${req.clientOrderId}-sl`,
        parentId: req.clientOrderId,
        orderType: 'STP',
        price: req.bracket.stopLoss,
      },
    ];
  }

  /**
   * Follows the answers to an order until it is placed: yes to the questions in `confirm`, no to any
   * other (the order is refused with the question as its reason). Returns the order ids IBKR gave.
   */
  async function settleReplies(first: z.infer<typeof OrderReplies>, req: OrderRequest): Promise<string[]> {
    let replies: z.infer<typeof OrderReplies> = first;
    for (let round = 0; round < 8; round++) {
      if (!Array.isArray(replies)) throw new BrokerError(refusalKind(replies.error), replies.error, NAME);
      const placed: string[] = [];
      let question: Extract<OrderReply, { id: string }> | undefined;
      for (const r of replies) {
        if ('error' in r)
          throw new BrokerError(refusalKind(r.error), `order ${req.clientOrderId}: ${r.error}`, NAME);
        if ('order_id' in r) placed.push(String(r.order_id));
        else question ??= r;
      }
      if (!question) return placed;
      const ids = question.messageIds ?? [];
      const text = question.message.join(' ');
      const yes = ids.length > 0 && ids.every((id) => confirm.has(id));
      const path = `/iserver/reply/${encodeURIComponent(question.id)}`;
      if (!yes) {
        // Declining withdraws the order at IBKR; if that call fails the unanswered question expires.
        await requestJson(exec, path, {
          method: 'POST',
          body: { confirmed: false },
          schema: z.unknown(),
        }).catch(() => undefined);
        const kind = refusalKind(text);
        throw new BrokerError(
          kind,
          `order ${req.clientOrderId}: IBKR asked "${text}" (${ids.join(', ') || 'no id'}); answered no`,
          NAME,
          { details: { messageIds: ids } },
        );
      }
      replies = await requestJson(exec, path, {
        method: 'POST',
        body: { confirmed: true },
        schema: OrderReplies,
        retries: 0,
      });
    }
    throw new BrokerError('rejected', `order ${req.clientOrderId}: IBKR kept asking questions`, NAME);
  }

  async function submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    checkOrderRequest(req, NAME);
    await prime();
    if (req.side === 'sell') await checkSellable(req);
    const [contract] = await contractsOf([req.symbol]);
    const orders = ibkrOrders(req, contract!.conid);
    return submitSafely({
      broker: NAME,
      clientOrderId: req.clientOrderId,
      client: exec,
      attempts: opts.submitAttempts,
      async send() {
        const first = await requestJson(exec, `/iserver/account/${account}/orders`, {
          method: 'POST',
          body: { orders },
          schema: OrderReplies,
          retries: 0,
        });
        const ids = await settleReplies(first, req);
        // The order list can lag the placement by a moment; until it shows, the order is as sent.
        return (await getOrder(req.clientOrderId)) ?? provisional(req, ids[0] ?? req.clientOrderId);
      },
      lookup: () => getOrder(req.clientOrderId),
      classify: (err) => classify(err),
    });
  }

  function provisional(req: OrderRequest, id: string): BrokerOrder {
    const leg = (suffix: 'tp' | 'sl', price: number): BrokerOrder => ({
      ...provisional({ ...req, bracket: undefined }, `${id}-${suffix}`),
      clientOrderId: `${req.clientOrderId}-${suffix}`,
      side: req.side === 'buy' ? 'sell' : 'buy',
      type: suffix === 'tp' ? 'limit' : 'stop',
      limitPrice: suffix === 'tp' ? price : null,
      stopPrice: suffix === 'sl' ? price : null,
      timeInForce: 'gtc',
    });
    return {
      ...acceptedOrder(id, req, nowIso()),
      legs: req.bracket ? [leg('tp', req.bracket.takeProfit), leg('sl', req.bracket.stopLoss)] : [],
    };
  }

  /** Waits (a few looks, 200 ms apart) until none of `clientOrderIds` is still working. */
  async function settled(clientOrderIds: readonly string[]): Promise<Map<string, BrokerOrder>> {
    for (let look = 0; ; look++) {
      const all = assemble(await liveOrders());
      const pending = clientOrderIds.some((id) => {
        const o = all.get(id);
        return o !== undefined && !FINAL_STATUSES.has(o.status);
      });
      if (!pending || look >= 5) return all;
      await exec.clock.sleep(200);
    }
  }

  async function cancel(order: BrokerOrder): Promise<boolean> {
    try {
      await requestJson(exec, `/iserver/account/${account}/order/${encodeURIComponent(order.id)}`, {
        method: 'DELETE',
        schema: z.object({ error: z.string().optional() }).passthrough(),
      });
      return true;
    } catch (err) {
      // An order that reached a final state meanwhile cannot be cancelled; the caller reads its state.
      if (httpStatus(err) === 400 || httpStatus(err) === 404) return false;
      throw classify(err);
    }
  }

  return {
    name: NAME,
    paper,
    clientIds,
    submitOrder,
    getOrder,
    openOrders,
    async cancelOrder(clientOrderId) {
      const order = await getOrder(clientOrderId);
      if (!order) throw new BrokerError('not_found', `no order with client order id ${clientOrderId}`, NAME);
      if (FINAL_STATUSES.has(order.status)) return order;
      await cancel(order);
      const now = (await settled([clientOrderId])).get(clientOrderId);
      if (!now) throw new BrokerError('not_found', `order ${clientOrderId} vanished while cancelling`, NAME);
      return now;
    },
    async cancelAll() {
      // A working parent's children go with it; asking for them too is harmless (already final: refused).
      const working = (await openOrders())
        .flatMap((o) => [o, ...o.legs])
        .filter((o) => !FINAL_STATUSES.has(o.status));
      const unique = [...new Map(working.map((o) => [o.clientOrderId, o])).values()];
      for (const o of unique) await cancel(o);
      const after = await settled(unique.map((o) => o.clientOrderId));
      return unique.filter((o) => after.get(o.clientOrderId)?.status === 'canceled').length;
    },
    positions,
    async account() {
      await prime();
      const s = await call(() => requestJson(exec, `/portfolio/${account}/summary`, { schema: Summary }));
      const cash = s.totalcashvalue.amount;
      const equity = s.netliquidation.amount;
      const buyingPower = s.buyingpower.amount;
      if (cash == null || equity == null || buyingPower == null)
        throw new BrokerError(
          'unavailable',
          `account ${accountId}: the summary has no cash, equity or buying power yet`,
          NAME,
        );
      const dayTrades = s.daytradesremaining?.amount;
      return {
        currency: s.netliquidation.currency ?? 'USD',
        cash,
        equity,
        buyingPower,
        // IBKR counts day trades only for accounts the pattern-day-trader rule binds (-1: unlimited).
        patternDayTrader: dayTrades != null && dayTrades >= 0,
        // IBKR has no account-wide block flag; a blocked account refuses each order with its reason.
        tradingBlocked: false,
      };
    },
    async clock() {
      return usEquityClock(exec.clock.now());
    },
    async snapshot(symbols) {
      await prime();
      const contracts = await contractsOf(symbols);
      return call(() => marketSnapshot(data, contracts), data);
    },
    close() {
      allocator.release(clientIds.data);
      allocator.release(clientIds.execution);
    },
  };
}
