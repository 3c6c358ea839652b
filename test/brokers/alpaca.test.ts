import { afterEach, describe, expect, it } from 'vitest';
import { ALPACA_LIVE_URL, ALPACA_PAPER_URL, createAlpacaBroker } from '../../shared/brokers/alpaca/index.ts';
import { BROKER_CONTRACT, type BrokerHarness } from '../../shared/brokers/contract.ts';
import { type Broker, BrokerError, type OrderRequest } from '../../shared/brokers/types.ts';
import {
  type FakeAlpacaBroker,
  type FakeAlpacaBrokerOptions,
  startFakeAlpacaBroker,
} from '../support/fake-brokers/alpaca.ts';
import { type VirtualClock, virtualClock } from '../support/fake-brokers/clock.ts';

const KEY = 'PKTESTKEY1234567890';
const SECRET = 'sEcReTsEcReTsEcReT0987654321';

const open: FakeAlpacaBroker[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function setup(
  fakeOpts: FakeAlpacaBrokerOptions = {},
  timeoutMs = 2_000,
): Promise<{ fake: FakeAlpacaBroker; broker: Broker; clock: VirtualClock }> {
  const fake = await startFakeAlpacaBroker({ keyId: KEY, secret: SECRET, ...fakeOpts });
  open.push(fake);
  const clock = virtualClock();
  const broker = createAlpacaBroker({
    apiKey: KEY,
    apiSecret: SECRET,
    baseUrl: fake.baseUrl,
    clock,
    limits: { timeoutMs, backoffBaseMs: 10, backoffMaxMs: 50 },
  });
  return { fake, broker, clock };
}

const order = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId: 'stratos-p1-20261207-AAPL-buy',
  symbol: 'AAPL',
  side: 'buy',
  qty: 10,
  type: 'market',
  timeInForce: 'day',
  ...over,
});

async function refusedAs(call: Promise<unknown>): Promise<BrokerError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

describe('Alpaca broker contract', () => {
  for (const c of BROKER_CONTRACT) {
    it(c.name, async () => {
      const { broker, fake } = await setup();
      const h: BrokerHarness = {
        broker,
        symbol: 'AAPL',
        price: 190,
        // The fake fills marketable orders as they arrive, as Alpaca's paper venue does in session.
        advance: async () => {},
        close: () => fake.close(),
      };
      await c.run(h);
    });
  }
});

describe('Alpaca broker', () => {
  it('talks to the paper host by default and to the live host only when live', async () => {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      urls.push(String(input));
      return new Response(
        JSON.stringify({
          timestamp: '2026-12-07T10:00:00-05:00',
          is_open: true,
          next_open: 'x',
          next_close: 'y',
        }),
        { status: 200 },
      );
    };
    const paper = createAlpacaBroker({ apiKey: KEY, apiSecret: SECRET, fetch });
    const live = createAlpacaBroker({ apiKey: KEY, apiSecret: SECRET, fetch, live: true });
    await paper.clock();
    await live.clock();
    expect(urls).toEqual([`${ALPACA_PAPER_URL}/v2/clock`, `${ALPACA_LIVE_URL}/v2/clock`]);
    expect([paper.paper, live.paper]).toEqual([true, false]);
  });

  it('sends the keys in APCA headers only and never shows them in an error', async () => {
    const { fake } = await setup();
    const wrong = createAlpacaBroker({ apiKey: KEY, apiSecret: `${SECRET}x`, baseUrl: fake.baseUrl });
    const err = await refusedAs(wrong.account());
    expect(err.kind).toBe('unauthorized');
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(KEY);
    // A body that echoes the key is redacted too.
    fake.fail('GET /v2/account', {
      status: 403,
      body: { code: 40310000, message: `key ${KEY} is forbidden` },
    });
    const echoed = await refusedAs(
      createAlpacaBroker({ apiKey: KEY, apiSecret: SECRET, baseUrl: fake.baseUrl }).account(),
    );
    expect(echoed.message).toContain('key [redacted] is forbidden');
    const sent = fake.requests[0]!;
    expect(sent.headers['apca-api-key-id']).toBe(KEY);
    expect(JSON.stringify(sent.query)).not.toContain(KEY);
  });

  it('sends market, limit, bracket and trailing-stop orders in Alpaca v2 shape', async () => {
    const { broker, fake } = await setup();
    await broker.submitOrder(order({ clientOrderId: 'm1', qty: 1.5 }));
    await broker.submitOrder(
      order({ clientOrderId: 'l1', type: 'limit', limitPrice: 150, timeInForce: 'gtc' }),
    );
    const bracket = await broker.submitOrder(
      order({ clientOrderId: 'b1', symbol: 'MSFT', qty: 2, bracket: { takeProfit: 450, stopLoss: 380 } }),
    );
    const trail = await broker.submitOrder(
      order({ clientOrderId: 't1', side: 'sell', qty: 1, type: 'trailing_stop', trailPercent: 0.02 }),
    );
    const bodies = fake.requests.filter((r) => r.method === 'POST').map((r) => r.body);
    expect(bodies[0]).toEqual({
      symbol: 'AAPL',
      qty: '1.5',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
      client_order_id: 'm1',
    });
    expect(bodies[1]).toMatchObject({ type: 'limit', limit_price: '150', time_in_force: 'gtc' });
    expect(bodies[2]).toMatchObject({
      order_class: 'bracket',
      take_profit: { limit_price: '450' },
      stop_loss: { stop_price: '380' },
    });
    // The interface's 0.02 is Alpaca's 2 (percent).
    expect(bodies[3]).toMatchObject({ type: 'trailing_stop', trail_percent: '2' });
    expect(trail.stopPrice).toBeCloseTo(190 * 0.98);
    expect(bracket.legs.map((l) => [l.clientOrderId, l.type, l.limitPrice ?? l.stopPrice])).toEqual([
      ['b1-tp', 'limit', 450],
      ['b1-sl', 'stop', 380],
    ]);
    expect((await broker.getOrder('b1-sl'))?.stopPrice).toBe(380);
    // Bracket legs are working orders once the parent filled; the unfilled limit too.
    const working = (await broker.openOrders()).map((o) => o.clientOrderId).sort();
    expect(working).toEqual(['b1-sl', 'b1-tp', 'l1', 't1']);
  });

  it('maps each refusal to its kind: buying power, pattern day trader, wash trade, qty held, qty missing, duplicate id', async () => {
    const { broker } = await setup({ cash: 5_000, patternDayTrader: true });
    expect((await refusedAs(broker.submitOrder(order({ qty: 100 })))).kind).toBe('insufficient_buying_power');
    await broker.submitOrder(order({ clientOrderId: 'buy1', qty: 2 }));
    const pdt = await refusedAs(broker.submitOrder(order({ clientOrderId: 'sell1', side: 'sell', qty: 1 })));
    expect(pdt.kind).toBe('pattern_day_trader');
    expect(pdt.retryable).toBe(false);
    expect((await refusedAs(broker.submitOrder(order({ clientOrderId: 'buy1', qty: 1 })))).kind).toBe(
      'duplicate_client_order_id',
    );

    const other = await setup();
    await other.broker.submitOrder(order({ clientOrderId: 'b', qty: 3 }));
    await other.broker.submitOrder(
      order({ clientOrderId: 's', side: 'sell', qty: 3, type: 'limit', limitPrice: 500, timeInForce: 'gtc' }),
    );
    expect((await refusedAs(other.broker.submitOrder(order({ clientOrderId: 'w', qty: 1 })))).kind).toBe(
      'wash_trade',
    );
    const held = await refusedAs(
      other.broker.submitOrder(order({ clientOrderId: 'h', side: 'sell', qty: 1 })),
    );
    expect(held.kind).toBe('held_for_orders');
    const none = await refusedAs(
      other.broker.submitOrder(order({ clientOrderId: 'n', symbol: 'MSFT', side: 'sell', qty: 1 })),
    );
    expect(none.kind).toBe('insufficient_qty');
    expect(other.fake.orders.map((o) => o.client_order_id)).toEqual(['b', 's']);
  });

  it('resolves a timeout after the broker accepted the order by looking it up, and never sends it twice', async () => {
    const { broker, fake } = await setup({}, 1_500);
    fake.fail('POST /v2/orders', { acceptThenHangMs: 6_000 });
    const placed = await broker.submitOrder(order());
    expect(placed.clientOrderId).toBe('stratos-p1-20261207-AAPL-buy');
    expect(placed.status).toBe('filled');
    expect(fake.count('POST /v2/orders')).toBe(1);
    expect(fake.orders).toHaveLength(1);
    // The look-up came before anything else was sent.
    const after = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(after).toEqual(['POST /v2/orders', 'GET /v2/orders:by_client_order_id']);
  });

  it('sends again after a 5xx only once the look-up shows the broker has no such order', async () => {
    const { broker, fake } = await setup();
    fake.fail('POST /v2/orders', { status: 503 }, { status: 500 });
    await broker.submitOrder(order());
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v2/orders',
      'GET /v2/orders:by_client_order_id',
      'POST /v2/orders',
      'GET /v2/orders:by_client_order_id',
      'POST /v2/orders',
    ]);
    expect(fake.orders).toHaveLength(1);
  });

  it('takes a duplicate-id refusal on a resend as the earlier attempt landing late, and returns that order', async () => {
    const { broker, fake } = await setup({}, 1_500);
    // The first send is accepted but its answer is lost; the look-up misses it (not yet visible).
    fake.fail('POST /v2/orders', { acceptThenHangMs: 6_000 });
    fake.fail('GET /v2/orders:by_client_order_id', {
      status: 404,
      body: { code: 40410000, message: 'order not found' },
    });
    const placed = await broker.submitOrder(order());
    expect(placed.id).toBe(fake.orders[0]!.id);
    expect(fake.count('POST /v2/orders')).toBe(2);
    expect(fake.orders).toHaveLength(1);
  });

  it('looks a garbled answer to an order up instead of sending the order again', async () => {
    const { broker, fake } = await setup();
    fake.fail('POST /v2/orders', { malformed: true, accepted: true });
    const placed = await broker.submitOrder(order());
    expect(placed.status).toBe('filled');
    expect(fake.count('POST /v2/orders')).toBe(1);
  });

  it('sends again after an answer of the wrong shape only once the look-up finds no order', async () => {
    const { broker, fake } = await setup();
    fake.fail('POST /v2/orders', { status: 200, body: { id: 7, status: ['new'] } });
    const placed = await broker.submitOrder(order());
    expect(placed.status).toBe('filled');
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v2/orders',
      'GET /v2/orders:by_client_order_id',
      'POST /v2/orders',
    ]);
    expect(fake.orders).toHaveLength(1);
  });

  it('waits out a 429 Retry-After before sending again, without a look-up (the order was not read)', async () => {
    const { broker, fake, clock } = await setup();
    fake.fail('POST /v2/orders', { status: 429, retryAfter: '7' });
    await broker.submitOrder(order());
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v2/orders', 'POST /v2/orders']);
    expect(clock.sleeps.some((ms) => ms >= 6_900)).toBe(true);
  });

  it('waits for the rate-limit window to reset (X-RateLimit-Reset) when a 429 has no Retry-After', async () => {
    const { broker, fake, clock } = await setup();
    const reset = Math.ceil(clock.now() / 1000) + 30;
    const headers = {
      'x-ratelimit-limit': '200',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
    };
    fake.fail('POST /v2/orders', { status: 429, headers });
    await broker.submitOrder(order());
    expect(fake.count('POST /v2/orders')).toBe(2);
    expect(clock.sleeps.some((ms) => ms >= 28_000 && ms <= 31_000)).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(reset * 1000 - 1000);
  });

  it('says the order may have been accepted when the look-up after a timeout fails too', async () => {
    const { broker, fake } = await setup({}, 1_500);
    fake.fail('POST /v2/orders', { acceptThenHangMs: 6_000 });
    for (let i = 0; i < 4; i++) fake.fail('GET /v2/orders:by_client_order_id', { status: 503 });
    const err = await refusedAs(broker.submitOrder(order()));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/may have been accepted/);
    expect(fake.count('POST /v2/orders')).toBe(1);
  });

  it('retries reads through 429 and 5xx, and reports a lasting outage as unavailable (retryable)', async () => {
    const { broker, fake } = await setup();
    fake.fail('GET /v2/positions', { status: 429, retryAfter: '1' }, { status: 502 });
    await broker.submitOrder(order({ qty: 4 }));
    expect(await broker.positions()).toEqual([
      { symbol: 'AAPL', qty: 4, avgEntryPrice: 190, marketPrice: 190 },
    ]);
    for (let i = 0; i < 4; i++) fake.fail('GET /v2/account', { status: 500 });
    const err = await refusedAs(broker.account());
    expect([err.kind, err.retryable]).toEqual(['unavailable', true]);
  });

  it('refuses a malformed order before it reaches Alpaca', async () => {
    const { broker, fake } = await setup();
    const err = await refusedAs(broker.submitOrder(order({ qty: -1 })));
    expect(err.kind).toBe('invalid_order');
    expect(fake.requests).toHaveLength(0);
  });

  it('reads the account, positions and clock', async () => {
    const { broker } = await setup({ cash: 50_000, patternDayTrader: true });
    await broker.submitOrder(order({ qty: 10 }));
    expect(await broker.account()).toEqual({
      currency: 'USD',
      cash: 48_100,
      equity: 50_000,
      buyingPower: 48_100,
      patternDayTrader: true,
      tradingBlocked: false,
    });
    const clock = await broker.clock();
    expect(clock.isOpen).toBe(true);
    expect(Date.parse(clock.nextOpen)).toBeGreaterThan(Date.parse(clock.timestamp));
  });
});
