import {
  type Broker,
  BrokerError,
  type BrokerErrorKind,
  FINAL_STATUSES,
  type OrderRequest,
} from './types.ts';

// The behaviours every broker meets, run against each one (the paper broker in memory, Alpaca and IBKR
// against their local fakes), as trading-signals' indicator contract. Plain async checks that throw, so
// the suite has no test-runner dependency: a test file registers each case with its runner's `it`.

/** A broker set up for the contract, with a way to let the market move. */
export interface BrokerHarness {
  broker: Broker;
  /** A symbol the account may trade (whole units), not held at the start. */
  symbol: string;
  /** Its price now, roughly: the contract sizes and prices its orders from it. */
  price: number;
  /** Lets time pass so that working market orders fill (paper: the next bar; a fake: its next fill tick). */
  advance(): Promise<void>;
  /** Stops servers and closes connections. */
  close(): Promise<void>;
}

/** One behaviour of the contract. */
export interface BrokerContractCase {
  name: string;
  run(h: BrokerHarness): Promise<void>;
}

class ContractViolation extends Error {}

function check(cond: boolean, what: string): asserts cond {
  if (!cond) throw new ContractViolation(what);
}

/** Runs `call` and returns the BrokerError it must throw, failing when it throws nothing or something else. */
async function refusal(
  call: () => Promise<unknown>,
  kind: BrokerErrorKind,
  what: string,
): Promise<BrokerError> {
  try {
    await call();
  } catch (err) {
    check(err instanceof BrokerError, `${what}: expected a BrokerError, got ${String(err)}`);
    check(err.kind === kind, `${what}: expected kind ${kind}, got ${err.kind} (${err.message})`);
    return err;
  }
  throw new ContractViolation(`${what}: expected a ${kind} refusal, the broker accepted it`);
}

let serial = 0;
/** A client order id no earlier run of the contract used (fakes and paper accounts may persist). */
const freshId = (tag: string) => `ct-${tag}-${Date.now().toString(36)}-${(serial++).toString(36)}`;

const market = (h: BrokerHarness, side: 'buy' | 'sell', qty: number, tag: string): OrderRequest => ({
  clientOrderId: freshId(tag),
  symbol: h.symbol,
  side,
  qty,
  type: 'market',
  timeInForce: 'day',
});

/** A buy limit far below the price, so it keeps working. */
const farLimit = (h: BrokerHarness, tag: string): OrderRequest => ({
  clientOrderId: freshId(tag),
  symbol: h.symbol,
  side: 'buy',
  qty: 1,
  type: 'limit',
  limitPrice: Math.round(h.price * 50) / 100,
  timeInForce: 'gtc',
});

async function positionQty(h: BrokerHarness): Promise<number> {
  const p = (await h.broker.positions()).find((x) => x.symbol === h.symbol);
  return p?.qty ?? 0;
}

/** Buys `qty` at the market and lets it fill. */
async function buyAndFill(h: BrokerHarness, qty: number, tag: string): Promise<void> {
  const req = market(h, 'buy', qty, tag);
  await h.broker.submitOrder(req);
  await h.advance();
  const o = await h.broker.getOrder(req.clientOrderId);
  check(o?.status === 'filled', `a market buy should fill after advance, got ${o?.status}`);
}

/** The broker contract: every case, in a fixed order; each starts from a fresh harness. */
export const BROKER_CONTRACT: readonly BrokerContractCase[] = [
  {
    name: 'accepts a market order and finds it by its client order id',
    async run(h) {
      const req = market(h, 'buy', 1, 'accept');
      const placed = await h.broker.submitOrder(req);
      check(placed.clientOrderId === req.clientOrderId, 'the order carries the client order id sent');
      check(
        placed.symbol === h.symbol && placed.side === 'buy' && placed.qty === 1,
        'symbol, side, qty echoed',
      );
      check(placed.status !== 'rejected', `a valid order is not rejected (${placed.status})`);
      const found = await h.broker.getOrder(req.clientOrderId);
      check(found !== null && found.id === placed.id, 'getOrder finds the same order by client order id');
    },
  },
  {
    name: 'fills a market buy at a positive price and shows the position and the cash spent',
    async run(h) {
      const before = await h.broker.account();
      const req = market(h, 'buy', 2, 'fill');
      await h.broker.submitOrder(req);
      await h.advance();
      const o = await h.broker.getOrder(req.clientOrderId);
      check(o?.status === 'filled', `filled after advance, got ${o?.status}`);
      check(o.filledQty === 2, `filled quantity 2, got ${o.filledQty}`);
      check(o.filledAvgPrice !== null && o.filledAvgPrice > 0, 'a positive fill price');
      check(o.filledAt !== null, 'a fill time');
      check((await positionQty(h)) === 2, 'the position holds the 2 units bought');
      const after = await h.broker.account();
      const spent = before.cash - after.cash;
      check(spent >= 2 * o.filledAvgPrice - 1e-6, `cash falls by at least the value bought (${spent})`);
      const held = (await h.broker.positions()).reduce((v, p) => v + p.qty * p.marketPrice, 0);
      const gap = Math.abs(after.equity - after.cash - held);
      check(
        gap <= 1e-6 * Math.abs(after.equity) + 1e-6,
        `equity is cash plus positions at market (off by ${gap})`,
      );
    },
  },
  {
    name: 'refuses a second order with the same client order id and keeps the first',
    async run(h) {
      const req = market(h, 'buy', 1, 'dup');
      const first = await h.broker.submitOrder(req);
      await refusal(
        () => h.broker.submitOrder({ ...req, qty: 3 }),
        'duplicate_client_order_id',
        'resubmission',
      );
      await h.advance();
      const o = await h.broker.getOrder(req.clientOrderId);
      check(o?.id === first.id && o.qty === 1, 'the first order stands, unchanged');
      check((await positionQty(h)) === 1, 'one unit bought, not four');
    },
  },
  {
    name: 'answers null for an unknown client order id and not_found when cancelling it',
    async run(h) {
      check((await h.broker.getOrder(freshId('none'))) === null, 'getOrder of an unknown id is null');
      await refusal(() => h.broker.cancelOrder(freshId('none')), 'not_found', 'cancel of an unknown id');
    },
  },
  {
    name: 'keeps a far limit working until cancelled; cancelling a final order changes nothing',
    async run(h) {
      const req = farLimit(h, 'limit');
      await h.broker.submitOrder(req);
      await h.advance();
      const working = await h.broker.getOrder(req.clientOrderId);
      check(working !== null && !FINAL_STATUSES.has(working.status), `still working, got ${working?.status}`);
      check(working.limitPrice === req.limitPrice, 'the limit price is kept');
      check(
        (await h.broker.openOrders()).some((o) => o.clientOrderId === req.clientOrderId),
        'listed as open',
      );
      const cancelled = await h.broker.cancelOrder(req.clientOrderId);
      check(cancelled.status === 'canceled', `cancelled, got ${cancelled.status}`);
      const again = await h.broker.cancelOrder(req.clientOrderId);
      check(again.status === 'canceled', 'a second cancel returns the cancelled order');
      check(
        !(await h.broker.openOrders()).some((o) => o.clientOrderId === req.clientOrderId),
        'no longer open',
      );
    },
  },
  {
    name: 'cancels every working order at once (the kill switch) and says how many',
    async run(h) {
      const a = farLimit(h, 'killa');
      const b = farLimit(h, 'killb');
      await h.broker.submitOrder(a);
      await h.broker.submitOrder(b);
      const n = await h.broker.cancelAll();
      check(n >= 2, `at least the 2 working orders cancelled, got ${n}`);
      check((await h.broker.openOrders()).length === 0, 'nothing left working');
      for (const req of [a, b])
        check(
          (await h.broker.getOrder(req.clientOrderId))?.status === 'canceled',
          `${req.clientOrderId} cancelled`,
        );
    },
  },
  {
    name: 'refuses to sell quantity another working order holds (held_for_orders)',
    async run(h) {
      await buyAndFill(h, 2, 'held');
      await h.broker.submitOrder({
        clientOrderId: freshId('held-limit'),
        symbol: h.symbol,
        side: 'sell',
        qty: 2,
        type: 'limit',
        limitPrice: Math.round(h.price * 300) / 100,
        timeInForce: 'gtc',
      });
      await refusal(
        () => h.broker.submitOrder(market(h, 'sell', 1, 'held-sell')),
        'held_for_orders',
        'held qty',
      );
    },
  },
  {
    name: 'refuses a buy beyond the buying power (insufficient_buying_power)',
    async run(h) {
      const { buyingPower } = await h.broker.account();
      const qty = Math.ceil((buyingPower * 2) / h.price) + 1;
      await refusal(
        () => h.broker.submitOrder(market(h, 'buy', qty, 'bp')),
        'insufficient_buying_power',
        'too big',
      );
    },
  },
  {
    name: 'refuses malformed orders before sending them (invalid_order) and stores nothing',
    async run(h) {
      const bad: OrderRequest[] = [
        { ...market(h, 'buy', 0, 'bad0') },
        { ...market(h, 'buy', Number.NaN, 'badnan') },
        { ...market(h, 'buy', 1, 'badlim'), type: 'limit' },
        { ...market(h, 'buy', 1, 'badtrail'), type: 'trailing_stop' },
        { ...market(h, 'buy', 1, 'badbr'), bracket: { takeProfit: h.price * 0.9, stopLoss: h.price * 1.1 } },
        { ...market(h, 'buy', 1, 'badid'), clientOrderId: 'x'.repeat(49) },
      ];
      for (const req of bad) {
        await refusal(() => h.broker.submitOrder(req), 'invalid_order', JSON.stringify(req));
        check((await h.broker.getOrder(req.clientOrderId).catch(() => null)) === null, 'nothing stored');
      }
    },
  },
  {
    name: 'accepts a bracket with its take-profit and stop-loss legs, and a trailing stop',
    async run(h) {
      const req: OrderRequest = {
        ...market(h, 'buy', 1, 'bracket'),
        bracket: { takeProfit: Math.round(h.price * 150) / 100, stopLoss: Math.round(h.price * 50) / 100 },
      };
      const placed = await h.broker.submitOrder(req);
      check(placed.legs.length === 2, `two legs, got ${placed.legs.length}`);
      check(
        placed.legs.some((l) => l.limitPrice === req.bracket!.takeProfit),
        'a take-profit leg at its price',
      );
      check(
        placed.legs.some((l) => l.stopPrice === req.bracket!.stopLoss),
        'a stop-loss leg at its price',
      );
      await h.advance();
      check((await h.broker.getOrder(req.clientOrderId))?.status === 'filled', 'the parent fills');
      await h.broker.cancelAll();
      await buyAndFill(h, 1, 'trail-entry');
      const trail: OrderRequest = {
        ...market(h, 'sell', 1, 'trail'),
        type: 'trailing_stop',
        trailPercent: 0.5,
      };
      const t = await h.broker.submitOrder(trail);
      check(t.type === 'trailing_stop' && t.status !== 'rejected', 'the trailing stop is working');
    },
  },
  {
    name: 'reports a well-formed account and market clock',
    async run(h) {
      const a = await h.broker.account();
      for (const [k, v] of Object.entries({ cash: a.cash, equity: a.equity, buyingPower: a.buyingPower }))
        check(Number.isFinite(v), `account ${k} is a finite number`);
      check(a.equity > 0 && a.buyingPower >= 0, 'positive equity, non-negative buying power');
      check(/^[A-Z]{3}$/.test(a.currency), 'a currency code');
      const c = await h.broker.clock();
      check(typeof c.isOpen === 'boolean', 'isOpen is a boolean');
      for (const t of [c.timestamp, c.nextOpen, c.nextClose])
        check(!Number.isNaN(Date.parse(t)), `clock time ${t} parses`);
      check(Date.parse(c.nextClose) > Date.parse(c.timestamp), 'the next close is after now');
    },
  },
];
