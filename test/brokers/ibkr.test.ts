import { afterEach, describe, expect, it } from 'vitest';
import { BROKER_CONTRACT, type BrokerHarness } from '../../shared/brokers/contract.ts';
import { createClientIdAllocator, FIRST_CLIENT_ID } from '../../shared/brokers/ibkr/client-ids.ts';
import { usEquityClock } from '../../shared/brokers/ibkr/clock.ts';
import {
  createIbkrBroker,
  type IbkrBroker,
  type IbkrBrokerOptions,
} from '../../shared/brokers/ibkr/index.ts';
import { volumeShares } from '../../shared/brokers/ibkr/snapshot.ts';
import { BrokerError, type OrderRequest } from '../../shared/brokers/types.ts';
import { AppError } from '../../shared/errors/index.ts';
import { virtualClock } from '../support/fake-brokers/clock.ts';
import { type FakeIbkr, type FakeIbkrOptions, startFakeIbkr } from '../support/fake-brokers/ibkr.ts';

const running: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((x) => x.close()));
});

async function setup(
  fakeOpts: FakeIbkrOptions = {},
  brokerOpts: Partial<IbkrBrokerOptions> = {},
): Promise<{ fake: FakeIbkr; broker: IbkrBroker }> {
  const fake = await startFakeIbkr(fakeOpts);
  const broker = createIbkrBroker({
    accountId: fakeOpts.accountId ?? 'DU1234567',
    baseUrl: fake.baseUrl,
    clock: virtualClock(),
    // The gateway's pacing (10/s, the order list 1 per 5 s) is the HTTP layer's, tested there.
    limits: { rates: [], timeoutMs: 2_000, backoffBaseMs: 10, backoffMaxMs: 50 },
    clientIds: createClientIdAllocator(),
    ...brokerOpts,
  });
  running.push(fake, broker);
  return { fake, broker };
}

const order = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId: 'stratos-p2-20261207-MSFT-buy',
  symbol: 'MSFT',
  side: 'buy',
  qty: 5,
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

const trail = (fake: FakeIbkr) => fake.requests.map((r) => `${r.method} ${r.path}`);

describe('IBKR broker contract', () => {
  for (const c of BROKER_CONTRACT) {
    it(c.name, async () => {
      const { broker } = await setup();
      const h: BrokerHarness = {
        broker,
        symbol: 'AAPL',
        price: 190,
        // The fake gateway fills marketable orders as they arrive.
        advance: async () => {},
        close: async () => {},
      };
      await c.run(h);
    });
  }
});

describe('IBKR order replies', () => {
  it('answers yes to the precautionary price question and places the order', async () => {
    const { broker, fake } = await setup();
    const placed = await broker.submitOrder(order({ type: 'limit', limitPrice: 300, timeInForce: 'gtc' }));
    expect(placed.status).toBe('new');
    expect(fake.answers).toEqual([expect.objectContaining({ messageId: 'o163', confirmed: true })]);
    expect(fake.orders).toHaveLength(1);
  });

  it('answers no to a question it does not know and refuses the order with the question as its reason', async () => {
    const { broker, fake } = await setup();
    fake.ask('o10999', 'This order will be directed to an exchange that charges extra fees. Are you sure?');
    const err = await refusedAs(broker.submitOrder(order()));
    expect(err.kind).toBe('rejected');
    expect(err.message).toContain('extra fees');
    expect(err.message).toContain('o10999');
    expect(fake.answers).toEqual([expect.objectContaining({ messageId: 'o10999', confirmed: false })]);
    expect(fake.orders).toHaveLength(0);
  });

  it('follows several questions in a row, and refuses a cross-side order as a wash trade', async () => {
    const { broker, fake } = await setup();
    fake.ask('o354', 'You are submitting an order without market data. Are you sure?');
    fake.ask('o383', 'The following order size exceeds the Size Limit of 500. Are you sure?');
    await broker.submitOrder(order({ clientOrderId: 'b1', qty: 10 }));
    expect(fake.answers.map((a) => [a.messageId, a.confirmed])).toEqual([
      ['o354', true],
      ['o383', true],
    ]);
    await broker.submitOrder(
      order({
        clientOrderId: 's1',
        side: 'sell',
        qty: 10,
        type: 'limit',
        limitPrice: 412,
        timeInForce: 'gtc',
      }),
    );
    const wash = await refusedAs(broker.submitOrder(order({ clientOrderId: 'b2', qty: 1 })));
    expect(wash.kind).toBe('wash_trade');
    expect(fake.orders.map((o) => o.order_ref)).toEqual(['b1', 's1']);
  });

  it('answers only the ids it is told to confirm', async () => {
    const { broker, fake } = await setup({}, { confirmReplies: [] });
    const err = await refusedAs(
      broker.submitOrder(order({ type: 'limit', limitPrice: 300, timeInForce: 'gtc' })),
    );
    expect(err.message).toContain('o163');
    expect(fake.orders).toHaveLength(0);
  });
});

describe('IBKR broker', () => {
  it('sends IBKR order fields: cOID, MKT/LMT/TRAIL, a bracket as parent and two children', async () => {
    const { broker, fake } = await setup();
    await broker.submitOrder(order({ clientOrderId: 'br', bracket: { takeProfit: 430, stopLoss: 395 } }));
    // The bracket's exits hold the MSFT bought; the trailing stop sells AAPL bought apart.
    await broker.submitOrder(order({ clientOrderId: 'a', symbol: 'AAPL', qty: 2 }));
    await broker.submitOrder(
      order({
        clientOrderId: 'tr',
        symbol: 'AAPL',
        side: 'sell',
        qty: 2,
        type: 'trailing_stop',
        trailPrice: 5,
      }),
    );
    const posts = fake.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith('/orders'))
      .map((r) => r.body.orders);
    expect(posts[0]).toEqual([
      expect.objectContaining({
        cOID: 'br',
        conid: 272093,
        side: 'BUY',
        orderType: 'MKT',
        quantity: 5,
        tif: 'DAY',
      }),
      expect.objectContaining({
        cOID: 'br-tp',
        parentId: 'br',
        side: 'SELL',
        orderType: 'LMT',
        price: 430,
        tif: 'GTC',
      }),
      expect.objectContaining({
        cOID: 'br-sl',
        parentId: 'br',
        side: 'SELL',
        orderType: 'STP',
        price: 395,
        tif: 'GTC',
      }),
    ]);
    expect(posts[2]).toEqual([
      expect.objectContaining({ orderType: 'TRAIL', trailingType: 'amt', trailingAmt: 5 }),
    ]);
    const trailing = await broker.getOrder('tr');
    expect([trailing?.type, trailing?.stopPrice, trailing?.status]).toEqual(['trailing_stop', 185, 'new']);
    const bracket = await broker.getOrder('br');
    expect(bracket?.legs.map((l) => [l.clientOrderId, l.status])).toEqual([
      ['br-tp', 'new'],
      ['br-sl', 'new'],
    ]);
  });

  it('resolves a timeout after the gateway placed the order by looking it up, and never sends it twice', async () => {
    const { broker, fake } = await setup({}, { limits: { rates: [], timeoutMs: 1_500, backoffBaseMs: 10 } });
    await broker.account();
    fake.fail('POST /iserver/account/{id}/orders', { acceptThenHangMs: 6_000 });
    const placed = await broker.submitOrder(order());
    expect(placed.status).toBe('filled');
    expect(fake.count('POST /iserver/account/{id}/orders')).toBe(1);
    expect(fake.orders).toHaveLength(1);
    expect(trail(fake).slice(-2)).toEqual([
      'POST /iserver/account/DU1234567/orders',
      'GET /iserver/account/orders',
    ]);
  });

  it("finds yesterday's filled order in the executions once it left the session's order list", async () => {
    const { broker, fake } = await setup();
    const placed = await broker.submitOrder(order({ qty: 3 }));
    fake.newSession();
    const found = await broker.getOrder(placed.clientOrderId);
    expect(found).toMatchObject({
      clientOrderId: 'stratos-p2-20261207-MSFT-buy',
      symbol: 'MSFT',
      side: 'buy',
      status: 'filled',
      filledQty: 3,
      filledAvgPrice: 410,
    });
    expect(await broker.getOrder('never-sent')).toBeNull();
  });

  it('looks the order up when the answer to a confirmed question is lost, and sends it once', async () => {
    const { broker, fake } = await setup({}, { limits: { rates: [], timeoutMs: 1_500, backoffBaseMs: 10 } });
    fake.ask('o354', 'You are submitting an order without market data. Are you sure?');
    fake.fail('POST /iserver/reply/{id}', { acceptThenHangMs: 6_000 });
    const placed = await broker.submitOrder(order());
    expect(placed.status).toBe('filled');
    expect(fake.count('POST /iserver/account/{id}/orders')).toBe(1);
    expect(fake.orders).toHaveLength(1);
  });

  it('waits out a 429 before sending again; after a 503 it looks first', async () => {
    const { broker, fake } = await setup();
    fake.fail('POST /iserver/account/{id}/orders', { status: 429, retryAfter: '2' }, { status: 503 });
    await broker.submitOrder(order());
    const posts = trail(fake).filter((t) => t.includes('orders'));
    expect(posts).toEqual([
      'POST /iserver/account/DU1234567/orders',
      'POST /iserver/account/DU1234567/orders',
      'GET /iserver/account/orders',
      'POST /iserver/account/DU1234567/orders',
      'GET /iserver/account/orders',
    ]);
    expect(fake.orders).toHaveLength(1);
  });

  it('refuses a pattern day trade, a sell of shares never held and a duplicate id', async () => {
    const { broker, fake } = await setup({ patternDayTrader: true });
    await broker.submitOrder(order({ clientOrderId: 'b' }));
    expect(
      (await refusedAs(broker.submitOrder(order({ clientOrderId: 's', side: 'sell', qty: 1 })))).kind,
    ).toBe('pattern_day_trader');
    expect(
      (
        await refusedAs(
          broker.submitOrder(order({ clientOrderId: 'x', symbol: 'SPY', side: 'sell', qty: 1 })),
        )
      ).kind,
    ).toBe('insufficient_qty');
    expect((await refusedAs(broker.submitOrder(order({ clientOrderId: 'b' })))).kind).toBe(
      'duplicate_client_order_id',
    );
    expect(fake.orders.map((o) => o.order_ref)).toEqual(['b']);
    expect((await broker.account()).patternDayTrader).toBe(true);
  });

  it('refuses to trade when the gateway is not logged in or another session competes', async () => {
    for (const opts of [{ authenticated: false }, { competing: true }]) {
      const { broker, fake } = await setup(opts);
      const err = await refusedAs(broker.submitOrder(order()));
      expect(err.kind).toBe('unauthorized');
      expect(err.message).toMatch(opts.competing ? /competes/ : /not logged in/);
      expect(fake.count('POST /iserver/account/{id}/orders')).toBe(0);
    }
  });

  it('answers with the order as sent while the order list does not show it yet', async () => {
    const { broker, fake } = await setup();
    fake.fail('GET /iserver/account/orders', { status: 200, body: { orders: [], snapshot: false } });
    const placed = await broker.submitOrder(
      order({
        clientOrderId: 'lag',
        type: 'limit',
        limitPrice: 300,
        timeInForce: 'gtc',
        bracket: { takeProfit: 350, stopLoss: 250 },
      }),
    );
    expect(placed).toMatchObject({
      id: String(fake.orders[0]!.orderId),
      status: 'accepted',
      limitPrice: 300,
    });
    expect(placed.legs.map((l) => [l.clientOrderId, l.side, l.type, l.limitPrice ?? l.stopPrice])).toEqual([
      ['lag-tp', 'sell', 'limit', 350],
      ['lag-sl', 'sell', 'stop', 250],
    ]);
    expect((await broker.getOrder('lag'))?.status).toBe('new');
  });

  it('checks the session again after the gateway answers 401 mid-run', async () => {
    const state: FakeIbkrOptions = {};
    const { broker, fake } = await setup(state);
    await broker.positions();
    state.authenticated = false;
    expect((await refusedAs(broker.positions())).kind).toBe('unauthorized');
    state.authenticated = true;
    expect(await broker.positions()).toEqual([]);
    expect(fake.count('POST /tickle')).toBe(2);
  });

  it('takes a paper account by default and refuses a real-money one unless live', async () => {
    expect(() => createIbkrBroker({ accountId: 'U7654321' })).toThrow(AppError);
    expect(() => createIbkrBroker({ accountId: 'DU1; DROP' })).toThrow(/not valid/);
    const live = createIbkrBroker({
      accountId: 'U7654321',
      live: true,
      clientIds: createClientIdAllocator(),
    });
    expect(live.paper).toBe(false);
    const { broker } = await setup();
    expect(broker.paper).toBe(true);
  });

  it('reads positions and the account summary', async () => {
    const { broker } = await setup({ cash: 20_000 });
    await broker.submitOrder(order({ qty: 10 }));
    expect(await broker.positions()).toEqual([
      { symbol: 'MSFT', qty: 10, avgEntryPrice: 410, marketPrice: 410 },
    ]);
    expect(await broker.account()).toEqual({
      currency: 'USD',
      cash: 15_900,
      equity: 20_000,
      buyingPower: 15_900,
      patternDayTrader: false,
      tradingBlocked: false,
    });
  });
});

describe('IBKR market data', () => {
  it('reports US-equity volume from the tick-8 feed in shares: lots of 100 multiplied by 100', async () => {
    const { broker, fake } = await setup({ volumeLots: { AAPL: 531_200, MSFT: 2 } });
    const quotes = await broker.snapshot(['AAPL', 'MSFT']);
    expect(quotes).toEqual([
      { symbol: 'AAPL', conid: 265598, last: 190, bid: 189.99, ask: 190.01, volume: 53_120_000 },
      { symbol: 'MSFT', conid: 272093, last: 410, bid: 409.99, ask: 410.01, volume: 200 },
    ]);
    // The first snapshot only subscribes; the adapter asked again.
    expect(fake.count('GET /iserver/marketdata/snapshot')).toBe(2);
  });

  it('multiplies only US stocks and reads nothing into a missing or bad value', () => {
    expect(volumeShares('5312', true)).toBe(531_200);
    expect(volumeShares(5312, false)).toBe(5312);
    expect(volumeShares('', true)).toBeNull();
    expect(volumeShares('n/a', true)).toBeNull();
    expect(volumeShares(-3, true)).toBeNull();
    expect(volumeShares(undefined, true)).toBeNull();
  });
});

describe('IBKR client ids', () => {
  it('hands out ids from 99 upward, never one still held, and rotates back to 99', () => {
    const ids = createClientIdAllocator(4);
    expect([ids.acquire('data'), ids.acquire('execution'), ids.acquire('data')]).toEqual([99, 100, 101]);
    ids.release(100);
    expect(ids.acquire('execution')).toBe(102);
    // The rotation wraps: 99 and 101 are held, 100 was released.
    expect(ids.acquire('data')).toBe(100);
    expect(() => ids.acquire('data')).toThrow(/no free IBKR client id among 99..102/);
    ids.release(99);
    expect(ids.acquire('execution')).toBe(99);
  });

  it('gives each broker distinct data and execution ids, labels every request with its connection, and frees them on close', async () => {
    const allocator = createClientIdAllocator();
    const { broker: a, fake } = await setup({}, { clientIds: allocator });
    const b = createIbkrBroker({ accountId: 'DU1234567', baseUrl: fake.baseUrl, clientIds: allocator });
    expect(a.clientIds).toEqual({ data: FIRST_CLIENT_ID, execution: FIRST_CLIENT_ID + 1 });
    expect(b.clientIds).toEqual({ data: FIRST_CLIENT_ID + 2, execution: FIRST_CLIENT_ID + 3 });
    await a.snapshot(['AAPL']);
    await a.submitOrder(order());
    const label = (path: string) =>
      new Set(
        fake.requests
          .filter((r) => r.path.startsWith(path))
          .map((r) => r.headers['x-stratos-ibkr-client-id']),
      );
    expect(label('/iserver/marketdata')).toEqual(new Set(['99']));
    expect(label('/iserver/account')).toEqual(new Set(['100']));
    b.close();
    a.close();
    // Released ids come back only when the rotation reaches them again.
    expect(allocator.acquire('data')).toBe(FIRST_CLIENT_ID + 4);
  });
});

describe('US equity clock (IBKR has none)', () => {
  it('is open 09:30-16:00 New York on NYSE days, in winter and summer time, skipping holidays', () => {
    const winter = usEquityClock(Date.parse('2026-12-07T15:00:00Z'));
    expect(winter).toEqual({
      timestamp: '2026-12-07T15:00:00.000Z',
      isOpen: true,
      nextOpen: '2026-12-08T14:30:00.000Z',
      nextClose: '2026-12-07T21:00:00.000Z',
    });
    const summerBeforeOpen = usEquityClock(Date.parse('2026-07-06T13:00:00Z'));
    expect(summerBeforeOpen.isOpen).toBe(false);
    expect(summerBeforeOpen.nextOpen).toBe('2026-07-06T13:30:00.000Z');
    // Friday 3 July 2026 is Independence Day observed: Thursday's close is followed by Monday's open.
    const holiday = usEquityClock(Date.parse('2026-07-02T21:00:00Z'));
    expect([holiday.isOpen, holiday.nextOpen, holiday.nextClose]).toEqual([
      false,
      '2026-07-06T13:30:00.000Z',
      '2026-07-06T20:00:00.000Z',
    ]);
    const saturday = usEquityClock(Date.parse('2026-12-12T16:00:00Z'));
    expect([saturday.isOpen, saturday.nextOpen]).toEqual([false, '2026-12-14T14:30:00.000Z']);
  });
});
