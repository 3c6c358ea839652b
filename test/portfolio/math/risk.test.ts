import { describe, expect, it } from 'vitest';
import type { DeltaTrade } from '../../../shared/portfolio/orders/index.ts';
import { consensus } from '../../../shared/risk/consensus.ts';
import { type ConvictionBook, convictionSizing, recordOutcome } from '../../../shared/risk/conviction.ts';
import {
  type EntryCandidate,
  evaluateRisk,
  gateTrades,
  riskAdjustedTargets,
} from '../../../shared/risk/index.ts';
import { dailyProfitCap } from '../../../shared/risk/profit-cap.ts';
import { activeLocks, lockFor } from '../../../shared/risk/protections.ts';
import { DEFAULT_REGIME, marketRegime } from '../../../shared/risk/regime.ts';

describe('dailyProfitCap', () => {
  it('stops new buys exactly when the day P&L reaches 0.25%, not a cent before', () => {
    expect(dailyProfitCap({ startEquity: 100_000, equity: 100_250 }).allow).toBe(false);
    expect(dailyProfitCap({ startEquity: 100_000, equity: 100_249.99 }).allow).toBe(true);
    expect(dailyProfitCap({ startEquity: 100_000, equity: 100_250.01 }).allow).toBe(false);
    // 0.25% of 37,123.45 is 92.808625: equity at start + that is at the cap although 0.0025 is inexact.
    expect(dailyProfitCap({ startEquity: 37_123.45, equity: 37_123.45 + 92.808625 }).allow).toBe(false);
    expect(dailyProfitCap({ startEquity: 37_123.45, equity: 37_123.45 + 92.8 }).allow).toBe(true);
    expect(dailyProfitCap({ startEquity: 100_000, equity: 99_000 }).reason).toMatch(
      /-1.0000% below the 0.25% cap/,
    );
  });
});

describe('consensus', () => {
  it('counts positive sources; abstentions neither vote for nor against', () => {
    const d = consensus({ signals: 0.4, review: null, sentiment: 0.1, momentum: null }, 2);
    expect(d.allow).toBe(true);
    expect(d.reason).toBe('2 of 2 voting sources positive (signals, sentiment), at least 2');
    expect(consensus({ signals: 0.4, review: -0.5, sentiment: 0, momentum: null }, 2).allow).toBe(false);
    expect(consensus({ signals: null, review: null, sentiment: null, momentum: null }, 1).allow).toBe(false);
  });
});

describe('marketRegime', () => {
  it('is risk-off strictly below the 200-day average: stricter threshold, half size by default', () => {
    const off = marketRegime({ symbol: 'SPY', close: 399.99, sma200: 400 });
    expect(off).toMatchObject({
      riskOff: true,
      entryThreshold: DEFAULT_REGIME.riskOffEntryThreshold,
      sizeMultiplier: 0.5,
    });
    expect(marketRegime({ symbol: 'SPY', close: 400, sma200: 400 })).toMatchObject({
      riskOff: false,
      sizeMultiplier: 1,
    });
    expect(marketRegime({ symbol: 'SPY', close: 400, sma200: null }).reason).toMatch(/no 200-day average/);
  });
});

describe('conviction sizing', () => {
  it('+1 per win, -2 per stop-out, per setup, 0.1 a point, clamped to 0.5-1.5', () => {
    let book: ConvictionBook = {};
    for (let i = 0; i < 3; i++) book = recordOutcome(book, 'breakout', 'win');
    book = recordOutcome(book, 'breakout', 'loss');
    expect(convictionSizing(book, 'breakout').sizeMultiplier).toBe(1.3);
    book = recordOutcome(book, 'breakout', 'stop');
    expect(convictionSizing(book, 'breakout').sizeMultiplier).toBe(1.1);
    expect(convictionSizing(book, 'mean_reversion').sizeMultiplier).toBe(1);
    for (let i = 0; i < 10; i++) book = recordOutcome(book, 'breakout', 'win');
    expect(convictionSizing(book, 'breakout').sizeMultiplier).toBe(1.5);
    // Banked points stop at the cap: two stop-outs from the top take it to 1.1, not still 1.5.
    book = recordOutcome(recordOutcome(book, 'breakout', 'stop'), 'breakout', 'stop');
    expect(convictionSizing(book, 'breakout').sizeMultiplier).toBe(1.1);
    for (let i = 0; i < 10; i++) book = recordOutcome(book, 'breakout', 'stop');
    expect(convictionSizing(book, 'breakout')).toMatchObject({ sizeMultiplier: 0.5 });
  });
});

describe('protections', () => {
  const trades = [
    { asset: 'AAA', exitDate: '2024-03-01', stoppedOut: true },
    { asset: 'BBB', exitDate: '2024-03-04', stoppedOut: true },
    { asset: 'CCC', exitDate: '2024-03-05', stoppedOut: false },
  ];

  it('stoploss guard: N stop-outs within the lookback lock every asset until the expiry', () => {
    const config = { stoplossGuard: { lookbackDays: 5, tradeLimit: 2, lockDays: 3 } };
    const at = (date: string) => activeLocks({ date, trades, equity: [] }, config);
    expect(at('2024-03-03')).toEqual([]);
    const [lock] = at('2024-03-04');
    expect(lock).toMatchObject({
      rule: 'stoploss_guard',
      asset: null,
      from: '2024-03-04',
      until: '2024-03-07',
    });
    expect(lock!.reason).toMatch(/2 stop-outs in the 5 days to 2024-03-04 \(limit 2\)/);
    expect(at('2024-03-06')).toHaveLength(1);
    expect(at('2024-03-07')).toEqual([]);
    // The window ends at the triggering stop: 4 days apart with a 4-day lookback is outside.
    const narrow = { stoplossGuard: { lookbackDays: 3, tradeLimit: 2, lockDays: 3 } };
    expect(activeLocks({ date: '2024-03-04', trades, equity: [] }, narrow)).toEqual([]);
  });

  it('max drawdown: a fall from the window peak locks every entry', () => {
    const equity = [
      { date: '2024-03-01', equity: 100_000 },
      { date: '2024-03-04', equity: 104_000 },
      { date: '2024-03-05', equity: 98_800 },
      { date: '2024-03-06', equity: 99_000 },
    ];
    const config = { maxDrawdown: { lookbackDays: 10, maxDrawdown: 0.05, lockDays: 2 } };
    // 98,800 / 104,000 - 1 = -5.0%: at the limit.
    const [lock] = activeLocks({ date: '2024-03-05', trades: [], equity }, config);
    expect(lock).toMatchObject({ rule: 'max_drawdown', asset: null, until: '2024-03-07' });
    expect(lock!.reason).toMatch(/drawdown 5.00%/);
    // The worst fall within the window ending 03-06 is still that 5%: the lock is renewed from 03-06.
    expect(activeLocks({ date: '2024-03-06', trades: [], equity }, config)).toMatchObject([
      { from: '2024-03-06', until: '2024-03-08' },
    ]);
    expect(activeLocks({ date: '2024-03-08', trades: [], equity }, config)).toEqual([]);
    const mild = { maxDrawdown: { lookbackDays: 10, maxDrawdown: 0.051, lockDays: 2 } };
    expect(activeLocks({ date: '2024-03-05', trades: [], equity }, mild)).toEqual([]);
  });

  it('cooldown: an exited asset is locked alone for the cooldown, and only from its exit on', () => {
    const locks = activeLocks({ date: '2024-03-05', trades, equity: [] }, { cooldown: { days: 2 } });
    expect(locks.map((l) => [l.asset, l.until])).toEqual([
      ['CCC', '2024-03-07'],
      ['BBB', '2024-03-06'],
    ]);
    expect(lockFor(locks, 'AAA')).toBeNull();
    expect(lockFor(locks, 'BBB')?.rule).toBe('cooldown');
  });
});

describe('evaluateRisk', () => {
  const candidate = (asset: string, score: number, positives: number): EntryCandidate => ({
    asset,
    score,
    setup: 'breakout',
    components: {
      signals: positives > 0 ? 1 : -1,
      review: positives > 1 ? 0.5 : null,
      sentiment: positives > 2 ? 0.2 : null,
      momentum: null,
    },
  });
  const context = {
    day: { startEquity: 100_000, equity: 100_100 },
    held: ['HELD'],
    regime: marketRegime({ symbol: 'SPY', close: 390, sma200: 400 }),
    locks: [
      {
        rule: 'cooldown' as const,
        asset: 'LOCKED',
        from: '2024-03-01',
        until: '2024-03-09',
        reason: 'exited',
      },
    ],
    conviction: { breakout: 3 },
  };

  it('gives every candidate its decisions: threshold, consensus, lock, slots, regime and conviction size', () => {
    const risk = evaluateRisk(
      [
        candidate('HELD', -1, 0),
        candidate('WEAK', 0.2, 3),
        candidate('ALONE', 0.9, 1),
        candidate('LOCKED', 0.9, 3),
        candidate('GOOD', 0.8, 2),
        candidate('LATE', 0.7, 3),
      ],
      context,
      {
        profitCap: 0.0025,
        minPositiveSources: 2,
        maxPositions: 2,
        conviction: { win: 1, stop: -2, step: 0.1, min: 0.5, max: 1.5 },
      },
    );
    const by = Object.fromEntries(risk.entries.map((e) => [e.asset, e]));
    expect(risk.buysAllowed).toBe(true);
    expect(by.HELD).toMatchObject({
      allow: true,
      held: true,
      sizeMultiplier: 0.65,
      reason: 'held, size x0.65',
    });
    expect(by.WEAK!.reason).toMatch(/not above the entry threshold 0.25/);
    expect(by.ALONE!.reason).toMatch(/1 of 1 voting sources positive/);
    expect(by.LOCKED!.reason).toMatch(/cooldown until 2024-03-09/);
    // Risk-off half size × conviction 1.3.
    expect(by.GOOD).toMatchObject({ allow: true, sizeMultiplier: 0.65 });
    expect(by.LATE!.reason).toBe('2 open of at most 2: no new entries');

    const targets = riskAdjustedTargets(
      [
        { asset: 'GOOD', weight: 0.5 },
        { asset: 'LATE', weight: 0.25 },
        { asset: 'HELD', weight: 0.25 },
      ],
      risk,
    );
    expect(targets).toEqual([
      { asset: 'GOOD', weight: 0.325 },
      { asset: 'HELD', weight: 0.1625 },
    ]);
  });

  it('sizes a position the same once it is held, so a rebalance redone after its fills asks for nothing more', () => {
    const before = evaluateRisk([candidate('GOOD', 0.8, 2)], context);
    const after = evaluateRisk([candidate('GOOD', 0.8, 2)], { ...context, held: [...context.held, 'GOOD'] });
    expect(before.entries[0]).toMatchObject({ held: false, allow: true });
    expect(after.entries[0]).toMatchObject({ held: true, allow: true });
    const targets = [{ asset: 'GOOD', weight: 0.2 }];
    expect(riskAdjustedTargets(targets, after)).toEqual(riskAdjustedTargets(targets, before));
  });

  it('once the profit cap is reached no candidate enters and every BUY becomes a HOLD that says why', () => {
    const risk = evaluateRisk([candidate('GOOD', 0.8, 3)], {
      ...context,
      day: { startEquity: 100_000, equity: 100_250 },
    });
    expect(risk.buysAllowed).toBe(false);
    expect(risk.entries[0]!.reason).toMatch(/reached the 0.25% cap/);
    const trade = (side: DeltaTrade['side'], asset: string): DeltaTrade => ({
      asset,
      side,
      quantity: side === 'HOLD' ? 0 : 5,
      currentQuantity: 10,
      targetQuantity: side === 'BUY' ? 15 : 5,
      currentWeight: 0.1,
      targetWeight: 0.15,
      price: 10,
      reason: 'r',
    });
    const gated = gateTrades([trade('SELL', 'A'), trade('BUY', 'B')], risk);
    expect(gated.map((t) => [t.side, t.quantity, t.targetQuantity])).toEqual([
      ['SELL', 5, 5],
      ['HOLD', 0, 10],
    ]);
    expect(gated[1]!.reason).toMatch(/held back: day's P&L 0.2500% reached the 0.25% cap/);
  });
});
