import { describe, expect, it } from 'vitest';
import { type DeltaTrade, deltaTrades, type Holding } from '../../../shared/portfolio/orders/index.ts';

const config = { minTradeValue: 50, threshold: 0.005, isFractional: (a: string) => a.endsWith('-USD') };

/** The positions after every trade filled at the quoted price, and the cash they left (fee per order). */
function execute(
  holdings: Holding[],
  cash: number,
  trades: DeltaTrade[],
  fee = 0,
): { holdings: Holding[]; cash: number } {
  const q = new Map(holdings.map((h) => [h.asset, h.quantity]));
  for (const t of trades) {
    if (t.side === 'HOLD') continue;
    const sign = t.side === 'BUY' ? 1 : -1;
    q.set(t.asset, (q.get(t.asset) ?? 0) + sign * t.quantity);
    cash -= sign * t.quantity * t.price + fee;
  }
  return {
    holdings: [...q].filter(([, v]) => v > 0).map(([asset, quantity]) => ({ asset, quantity })),
    cash,
  };
}

const equityOf = (h: Holding[], cash: number, prices: Record<string, number>) =>
  cash + h.reduce((s, x) => s + x.quantity * prices[x.asset]!, 0);

describe('deltaTrades', () => {
  const prices = { AAPL: 190.5, MSFT: 410.25, XOM: 101.1, 'BTC-USD': 43_210.77 };

  it('sells before buys, whole units for equities, fractional crypto, each with its reason', () => {
    const holdings = [
      { asset: 'XOM', quantity: 100 },
      { asset: 'MSFT', quantity: 10 },
    ];
    const trades = deltaTrades(
      holdings,
      [
        { asset: 'AAPL', weight: 0.3 },
        { asset: 'MSFT', weight: 0.2 },
        { asset: 'BTC-USD', weight: 0.25 },
      ],
      prices,
      50_000,
      config,
    );
    expect(trades.map((t) => [t.side, t.asset, t.quantity])).toEqual([
      ['SELL', 'XOM', 100],
      // MSFT: 0.2 × 50,000 / 410.25 = 24.375... → 24 units, 14 to buy.
      ['BUY', 'AAPL', 78],
      // BTC-USD: 12,500 / 43,210.77 = 0.2892797328 → 0.28927973 (1e-8 steps).
      ['BUY', 'BTC-USD', 0.28927973],
      ['BUY', 'MSFT', 14],
    ]);
    expect(trades[0]!.reason).toMatch(/exit: not in the targets/);
    expect(trades[3]!.reason).toMatch(/underweight: 8.21% vs target 20.00%/);
  });

  it('holds below the significance threshold and below the minimum trade size', () => {
    const trades = deltaTrades(
      [
        { asset: 'AAPL', quantity: 50 },
        { asset: 'XOM', quantity: 10 },
      ],
      [
        // AAPL at 9,525 of 100,000 = 9.525%; the target 9.8% is 0.275% away, under 0.5%.
        { asset: 'AAPL', weight: 0.098 },
        // XOM: 1.011% vs 1.05%, under the threshold too.
        { asset: 'XOM', weight: 0.0105 },
      ],
      prices,
      100_000,
      config,
    );
    expect(trades.map((t) => t.side)).toEqual(['HOLD', 'HOLD']);
    expect(trades[0]!.reason).toMatch(/below the 0.50% threshold/);
    const small = deltaTrades(
      [{ asset: 'XOM', quantity: 10 }],
      [{ asset: 'XOM', weight: 0.0112 }],
      prices,
      100_000,
      { ...config, threshold: 0 },
    );
    // 1,120 / 101.1 = 11.07 → 11 units: one unit worth 101.10, above 50: a BUY; at a 200 minimum it holds.
    expect(small[0]).toMatchObject({ side: 'BUY', quantity: 1 });
    const held = deltaTrades(
      [{ asset: 'XOM', quantity: 10 }],
      [{ asset: 'XOM', weight: 0.0112 }],
      prices,
      100_000,
      {
        ...config,
        threshold: 0,
        minTradeValue: 200,
      },
    );
    expect(held[0]).toMatchObject({ side: 'HOLD', quantity: 0 });
    expect(held[0]!.reason).toMatch(/below the minimum trade size 200/);
  });

  it('rebalancing twice on the same inputs sends nothing the second time, fees included', () => {
    const targets = [
      { asset: 'AAPL', weight: 0.35 },
      { asset: 'MSFT', weight: 0.35 },
      { asset: 'BTC-USD', weight: 0.28 },
    ];
    for (const fee of [0, 1]) {
      const first = deltaTrades([{ asset: 'XOM', quantity: 40 }], targets, prices, 25_000, config);
      expect(first.filter((t) => t.side !== 'HOLD')).toHaveLength(4);
      const after = execute([{ asset: 'XOM', quantity: 40 }], 25_000 - 40 * prices.XOM, first, fee);
      const second = deltaTrades(
        after.holdings,
        targets,
        prices,
        equityOf(after.holdings, after.cash, prices),
        config,
      );
      expect(second.map((t) => t.side)).toEqual(['HOLD', 'HOLD', 'HOLD']);
      expect(after.cash).toBeGreaterThanOrEqual(0);
    }
  });

  it('leaves an asset without a price alone and refuses impossible inputs', () => {
    const [t] = deltaTrades([{ asset: 'ZZZ', quantity: 5 }], [], prices, 1000, config);
    expect(t).toMatchObject({ side: 'HOLD', quantity: 0, reason: 'no price: not traded' });
    expect(() =>
      deltaTrades(
        [],
        [
          { asset: 'AAPL', weight: 0.6 },
          { asset: 'XOM', weight: 0.6 },
        ],
        prices,
        1000,
        config,
      ),
    ).toThrow(/sum to 1.2/);
    expect(() => deltaTrades([{ asset: 'AAPL', quantity: -1 }], [], prices, 1000, config)).toThrow(
      /quantity/,
    );
    expect(() => deltaTrades([], [{ asset: 'AAPL', weight: 0.5 }], { AAPL: 0 }, 1000, config)).toThrow(
      /price of AAPL/,
    );
    expect(() => deltaTrades([], [], prices, 0, config)).toThrow(/equity/);
    expect(() => deltaTrades([], [{ asset: 'AAPL', weight: Number.NaN }], prices, 1000, config)).toThrow(
      /weight/,
    );
  });
});

describe('deltaTrades over random books', () => {
  it('keeps its invariants on 300 random rebalances: order, units, no oversell, and nothing the second time', () => {
    let seed = 3;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const universe = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'ETH-USD', 'SOL-USD'];
    for (let c = 0; c < 300; c++) {
      const prices = Object.fromEntries(universe.map((a) => [a, Number((1 + rnd() * 3000).toFixed(2))]));
      const holdings = universe
        .filter(() => rnd() < 0.5)
        .map((asset) => ({
          asset,
          quantity: asset.endsWith('-USD') ? Number((rnd() * 5).toFixed(8)) : Math.floor(rnd() * 200),
        }));
      const cash = 1_000 + rnd() * 200_000;
      const equity = equityOf(holdings, cash, prices);
      const chosen = universe.filter(() => rnd() < 0.6);
      const raw = chosen.map(() => rnd());
      const total = raw.reduce((s, v) => s + v, 0) / (0.5 + rnd() * 0.5);
      const targets = chosen.map((asset, i) => ({ asset, weight: raw[i]! / total }));
      const fee = rnd() < 0.5 ? 0 : 1 + rnd() * 5;
      const trades = deltaTrades(holdings, targets, prices, equity, config);
      const rank = { SELL: 0, BUY: 1, HOLD: 2 };
      for (let i = 1; i < trades.length; i++)
        expect(rank[trades[i - 1]!.side]).toBeLessThanOrEqual(rank[trades[i]!.side]);
      for (const t of trades) {
        expect(t.reason.length).toBeGreaterThan(0);
        if (t.side === 'SELL') expect(t.quantity).toBeLessThanOrEqual(t.currentQuantity);
        if (!t.asset.endsWith('-USD')) expect(Number.isInteger(t.quantity)).toBe(true);
        else expect(Math.abs(t.quantity * 1e8 - Math.round(t.quantity * 1e8))).toBeLessThan(1e-4);
      }
      const after = execute(holdings, cash, trades, fee);
      const again = deltaTrades(
        after.holdings,
        targets,
        prices,
        equityOf(after.holdings, after.cash, prices),
        config,
      );
      expect(
        again.filter((t) => t.side !== 'HOLD'),
        `case ${c}`,
      ).toEqual([]);
    }
  });

  it('refuses a negative or non-finite minimum trade size or threshold', () => {
    expect(() => deltaTrades([], [], {}, 1000, { ...config, threshold: -0.1 })).toThrow(/threshold/);
    expect(() => deltaTrades([], [], {}, 1000, { ...config, minTradeValue: Number.NaN })).toThrow(
      /minTradeValue/,
    );
  });
});

describe('deltaTrades rows', () => {
  it('has no row for an asset neither held nor wanted, and says when a target buys less than one unit', () => {
    const trades = deltaTrades(
      [{ asset: 'AAA', quantity: 0 }],
      [
        { asset: 'BBB', weight: 0 },
        { asset: 'CCC', weight: 0.004 },
      ],
      { AAA: 10, BBB: 10, CCC: 500 },
      100_000 / 2,
      { ...config, threshold: 0 },
    );
    // CCC: 0.4% of 50,000 = 200, less than one share at 500.
    expect(trades).toEqual([
      expect.objectContaining({
        asset: 'CCC',
        side: 'HOLD',
        reason: 'target 0.40% buys less than one unit at 500',
      }),
    ]);
  });
});
