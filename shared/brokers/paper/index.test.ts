import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test/support/random.ts';
import type { Costs } from '../../strategy/spec.ts';
import { BROKER_CONTRACT, type BrokerHarness } from '../contract.ts';
import { BrokerError, type OrderRequest } from '../types.ts';
import { createPaperBroker, newPaperState, type PaperBar, type PaperBroker } from './index.ts';

const NO_COSTS: Costs = { fee_rate: 0, fee_fixed: 0, slippage_rate: 0 };
const NOW = new Date('2026-03-02T15:00:00Z');

function paper(cash: number, costs: Costs = NO_COSTS, prices: Record<string, number> = { AAPL: 100 }) {
  const known = { ...prices };
  const broker = createPaperBroker(
    { costs, assetType: 'equity', wholeUnits: true, price: (s) => known[s], now: () => NOW },
    newPaperState(cash),
  );
  return { broker, known };
}

const bar = (open: number, high: number, low: number, close: number): PaperBar => ({
  open,
  high,
  low,
  close,
  volume: 1e6,
});

let day = 0;
/** Consecutive calendar dates, so every applyBars moves forward. */
const nextDate = () => new Date(Date.UTC(2026, 0, 1) + day++ * 86_400_000).toISOString().slice(0, 10);

const order = (
  o: Partial<OrderRequest> & Pick<OrderRequest, 'clientOrderId' | 'side' | 'qty'>,
): OrderRequest => ({
  symbol: 'AAPL',
  type: 'market',
  timeInForce: 'day',
  ...o,
});

describe('paper broker: the broker contract', () => {
  for (const c of BROKER_CONTRACT)
    it(c.name, async () => {
      // A random walk around 100 whose every bar moves at most 3%, so far limits never fill.
      const rand = mulberry32(7);
      const { broker, known } = paper(100_000);
      let last = 100;
      const h: BrokerHarness = {
        broker,
        symbol: 'AAPL',
        price: 100,
        async advance() {
          const open = last * (1 + (rand() - 0.5) * 0.01);
          const close = open * (1 + (rand() - 0.5) * 0.02);
          broker.applyBars(
            nextDate(),
            new Map([
              ['AAPL', bar(open, Math.max(open, close) * 1.005, Math.min(open, close) * 0.995, close)],
            ]),
          );
          last = close;
          known.AAPL = close;
        },
        async close() {},
      };
      await c.run(h);
    });
});

describe('paper broker: the fill contract', () => {
  it('fills a market buy at the next open with slippage and the fee, and marks at the close', async () => {
    const { broker } = paper(10_000, { fee_rate: 0.01, fee_fixed: 1, slippage_rate: 0.01 });
    await broker.submitOrder(order({ clientOrderId: 'b1', side: 'buy', qty: 10 }));
    const fills = broker.applyBars('2026-01-05', new Map([['AAPL', bar(100, 105, 95, 102)]]));
    // 100 × 1.01 = 101; fee 10 × 101 × 1% + 1 = 11.1; cash 10,000 − 1,010 − 11.1.
    expect(fills).toEqual([
      expect.objectContaining({
        side: 'buy',
        qty: 10,
        price: 101,
        fee: 11.1,
        rule: 'open',
        low: 95,
        high: 105,
      }),
    ]);
    const a = await broker.account();
    expect(a.cash).toBeCloseTo(8978.9, 9);
    expect(a.equity).toBeCloseTo(8978.9 + 1020, 9);
  });

  it('cuts a market buy to what the cash pays for and expires the rest', async () => {
    const { broker, known } = paper(1_000);
    await broker.submitOrder(order({ clientOrderId: 'b1', side: 'buy', qty: 9 }));
    known.AAPL = 100;
    const fills = broker.applyBars('2026-01-05', new Map([['AAPL', bar(120, 125, 118, 121)]]));
    expect(fills.map((f) => f.qty)).toEqual([8]);
    const o = await broker.getOrder('b1');
    expect(o).toMatchObject({ status: 'expired', filledQty: 8, filledAvgPrice: 120 });
  });

  it('fires no bracket leg on the entry bar, then takes the stop before the target in one bar', async () => {
    const { broker } = paper(10_000);
    await broker.submitOrder(
      order({ clientOrderId: 'br', side: 'buy', qty: 5, bracket: { takeProfit: 110, stopLoss: 95 } }),
    );
    // The entry bar reaches both levels: nothing fires (rule 7).
    expect(
      broker.applyBars('2026-01-05', new Map([['AAPL', bar(100, 111, 94, 100)]])).map((f) => f.rule),
    ).toEqual(['open']);
    // Next bar reaches both again: the stop wins (rule 4) and cancels the take-profit.
    const fills = broker.applyBars('2026-01-06', new Map([['AAPL', bar(100, 112, 90, 100)]]));
    expect(fills).toEqual([expect.objectContaining({ clientOrderId: 'br-sl', price: 95, rule: 'stop' })]);
    expect((await broker.getOrder('br-tp'))?.status).toBe('canceled');
    expect(await broker.positions()).toEqual([]);
  });

  it('fills a stop gapped through at the open, and a limit gapped beyond at the open', async () => {
    const { broker } = paper(10_000);
    await broker.submitOrder(
      order({ clientOrderId: 'a', side: 'buy', qty: 2, bracket: { takeProfit: 120, stopLoss: 95 } }),
    );
    broker.applyBars('2026-01-05', new Map([['AAPL', bar(100, 101, 99, 100)]]));
    const gap = broker.applyBars('2026-01-06', new Map([['AAPL', bar(90, 92, 88, 91)]]));
    expect(gap).toEqual([expect.objectContaining({ price: 90, rule: 'stop_gap_open' })]);
    await broker.submitOrder(
      order({ clientOrderId: 'c', side: 'buy', qty: 1, type: 'limit', limitPrice: 85, timeInForce: 'gtc' }),
    );
    const limit = broker.applyBars('2026-01-07', new Map([['AAPL', bar(84, 86, 83, 85)]]));
    expect(limit).toEqual([expect.objectContaining({ price: 84, rule: 'limit_gap_open' })]);
  });

  it('checks a trailing stop against the low before the high raises it', async () => {
    const { broker, known } = paper(10_000);
    await broker.submitOrder(order({ clientOrderId: 'e', side: 'buy', qty: 1 }));
    broker.applyBars('2026-01-05', new Map([['AAPL', bar(100, 110, 100, 110)]]));
    known.AAPL = 110;
    await broker.submitOrder(
      order({
        clientOrderId: 't',
        side: 'sell',
        qty: 1,
        type: 'trailing_stop',
        trailPercent: 0.1,
        timeInForce: 'gtc',
      }),
    );
    // Best 110, trail 99: a bar with high 120 and low 104 holds; the best becomes 120 (trail 108).
    expect(broker.applyBars('2026-01-06', new Map([['AAPL', bar(110, 120, 104, 115)]]))).toEqual([]);
    const fills = broker.applyBars('2026-01-07', new Map([['AAPL', bar(115, 116, 107, 110)]]));
    expect(fills).toEqual([expect.objectContaining({ price: 108, rule: 'trailing' })]);
  });

  it('sends sells before buys at the open, so a sale pays for a purchase placed the same evening', async () => {
    const { broker, known } = paper(1_000, NO_COSTS, { AAPL: 100, MSFT: 50 });
    await broker.submitOrder(order({ clientOrderId: 'x', side: 'buy', qty: 10 }));
    broker.applyBars('2026-01-05', new Map([['AAPL', bar(100, 100, 100, 100)]]));
    expect((await broker.account()).cash).toBe(0);
    // The sale goes in first and the buying power counts its proceeds; at the open it fills first.
    await broker.submitOrder(order({ clientOrderId: 'z', side: 'sell', qty: 10 }));
    await broker.submitOrder(order({ clientOrderId: 'y', symbol: 'MSFT', side: 'buy', qty: 19 }));
    known.AAPL = 100;
    const fills = broker.applyBars(
      '2026-01-06',
      new Map([
        ['AAPL', bar(100, 100, 100, 100)],
        ['MSFT', bar(50, 50, 50, 50)],
      ]),
    );
    expect(fills.map((f) => `${f.side} ${f.symbol} ${f.qty}`)).toEqual(['sell AAPL 10', 'buy MSFT 19']);
    expect((await broker.account()).cash).toBe(50);
  });

  it('refuses a sell beyond the position (no shorting) and fractional units of a whole-unit asset', async () => {
    const { broker } = paper(10_000);
    const short = await broker
      .submitOrder(order({ clientOrderId: 's', side: 'sell', qty: 1 }))
      .catch((e: unknown) => e);
    expect(short).toBeInstanceOf(BrokerError);
    expect((short as BrokerError).kind).toBe('insufficient_qty');
    const frac = await broker
      .submitOrder(order({ clientOrderId: 'f', side: 'buy', qty: 1.5 }))
      .catch((e: unknown) => e);
    expect((frac as BrokerError).kind).toBe('invalid_order');
  });

  it('round-trips its state through JSON and goes on filling the same way', async () => {
    const { broker } = paper(10_000, { fee_rate: 0.001, fee_fixed: 0.5, slippage_rate: 0.002 });
    await broker.submitOrder(
      order({ clientOrderId: 'r', side: 'buy', qty: 3, bracket: { takeProfit: 105, stopLoss: 90 } }),
    );
    broker.applyBars('2026-01-05', new Map([['AAPL', bar(100, 101, 99, 100)]]));
    const reloaded = createPaperBroker(
      {
        costs: { fee_rate: 0.001, fee_fixed: 0.5, slippage_rate: 0.002 },
        assetType: 'equity',
        wholeUnits: true,
        price: () => 100,
        now: () => NOW,
      },
      JSON.parse(JSON.stringify(broker.state())),
    );
    const next = bar(101, 106, 100, 104);
    expect(reloaded.applyBars('2026-01-06', new Map([['AAPL', next]]))).toEqual(
      broker.applyBars('2026-01-06', new Map([['AAPL', next]])),
    );
    expect(await reloaded.account()).toEqual(await broker.account());
  });

  it('refuses bars that do not move forward', () => {
    const { broker }: { broker: PaperBroker } = paper(1_000);
    broker.applyBars('2026-01-05', new Map());
    expect(() => broker.applyBars('2026-01-05', new Map())).toThrow(/move forward/);
  });
});
