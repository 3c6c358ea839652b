import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test/support/random.ts';
import { proposeRules } from './attribution.ts';
import type { LearnedTrade } from './experience.ts';
import { blockingRule, conditionsKey, type LearnedRule, matchesRule, ruleEvidence } from './rules.ts';
import { ghostExit, liveExits, shadowExits, shadowReports } from './shadows.ts';

/** Closed trades of one setup: RSI above 70 at entry wins 15% of the time, below it 60%; `noise` is noise. */
function trades(setup: string, n: number, seed: number): LearnedTrade[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const rsi = 20 + 70 * rand();
    const win = rand() < (rsi >= 70 ? 0.15 : 0.6);
    return {
      tradeKey: `${setup}:${i}`,
      setup,
      symbol: `S${i % 17}`,
      assetType: 'equity',
      side: 'long',
      entryAt: '2026-01-05T00:00:00.000Z',
      entryPrice: 100,
      exitAt: '2026-01-09T00:00:00.000Z',
      exitPrice: win ? 104 : 97,
      pnl: win ? 0.04 : -0.03,
      outcome: win ? 'win' : rand() < 0.5 ? 'stop' : 'loss',
      snapshot: { rsi_14: rsi, noise: rand(), pattern_bull_flag: i % 2 },
    };
  });
}

describe('attribution', () => {
  const book = trades('flag_breakout', 400, 11);
  const rules = proposeRules(book);

  it('finds the overbought condition that makes the setup fail, with evidence counted on the trades', () => {
    expect(rules.length).toBeGreaterThan(0);
    const top = rules[0]!;
    expect(top.setup).toBe('flag_breakout');
    const rsi = top.conditions.find((c) => c.feature === 'rsi_14');
    expect(rsi?.op).toBe('>=');
    expect(rsi!.value).toBeGreaterThan(62);
    expect(rsi!.value).toBeLessThan(78);
    expect(top.successRate).toBeLessThan(0.4);
    expect(top.support).toBeGreaterThanOrEqual(10);
    expect(top.lift).toBeGreaterThan(1);
    // The stored evidence is exactly a recount over the trades.
    expect(ruleEvidence(top.conditions, book)).toEqual({
      support: top.support,
      successes: top.successes,
      successRate: top.successRate,
      baseRate: top.baseRate,
      lift: top.lift,
    });
    for (const r of rules) expect(r.successRate).toBeLessThan(0.4);
  });

  it('is deterministic: the same trades give the same rules', () => {
    expect(proposeRules(book).map((r) => conditionsKey(r.conditions))).toEqual(
      rules.map((r) => conditionsKey(r.conditions)),
    );
  });

  it('leaves alone setups with fewer than 30 trades, or that always win', () => {
    expect(proposeRules(trades('rare', 29, 3))).toEqual([]);
    const winners = trades('winner', 60, 4).map((t) => ({ ...t, outcome: 'win' as const }));
    expect(proposeRules(winners)).toEqual([]);
  });

  it('models each setup apart', () => {
    const mixed = [...book, ...trades('other', 200, 5)];
    const setups = new Set(proposeRules(mixed).map((r) => r.setup));
    expect(setups).toEqual(new Set(['flag_breakout', 'other']));
  });
});

describe('rules', () => {
  const rule: LearnedRule = {
    id: 7,
    setup: 'flag_breakout',
    conditions: [
      { feature: 'rsi_14', op: '>=', value: 70 },
      { feature: 'dist_sma_50', op: '<', value: 0.1 },
    ],
    status: 'active',
    support: 40,
    successes: 6,
    successRate: 0.15,
    baseRate: 0.5,
    lift: 1.7,
  };

  it('matches only when every condition holds; a missing input matches nothing', () => {
    expect(matchesRule(rule.conditions, { rsi_14: 70, dist_sma_50: 0.05 })).toBe(true);
    expect(matchesRule(rule.conditions, { rsi_14: 69.9, dist_sma_50: 0.05 })).toBe(false);
    expect(matchesRule(rule.conditions, { rsi_14: 75, dist_sma_50: 0.1 })).toBe(false);
    expect(matchesRule(rule.conditions, { rsi_14: 75, dist_sma_50: null })).toBe(false);
    expect(matchesRule(rule.conditions, { rsi_14: 75 })).toBe(false);
  });

  it('blocks a buy of the rule’s setup only while active, naming the rule and its evidence', () => {
    const hit = blockingRule([rule], 'flag_breakout', { rsi_14: 80, dist_sma_50: 0 });
    expect(hit?.rule.id).toBe(7);
    expect(hit?.reason).toBe(
      'learned rule #7 (flag_breakout: rsi_14 >= 70 and dist_sma_50 < 0.1): 40 trades, 15% won against 50% for the setup',
    );
    expect(blockingRule([rule], 'other_setup', { rsi_14: 80, dist_sma_50: 0 })).toBeUndefined();
    expect(
      blockingRule([{ ...rule, status: 'proposed' }], 'flag_breakout', { rsi_14: 80, dist_sma_50: 0 }),
    ).toBeUndefined();
  });

  it('keys conditions independently of their order', () => {
    expect(conditionsKey(rule.conditions)).toBe(conditionsKey([...rule.conditions].reverse()));
  });
});

describe('shadows', () => {
  const bar = (at: string, open: number, high: number, low: number, close: number) => ({
    at,
    open,
    high,
    low,
    close,
  });

  it('derives the ghosts from the live exits', () => {
    const live = liveExits({ stop_pct: 0.04, target_pct: 0.09, max_bars: 10 });
    expect(live).toEqual({ stop: 0.04, target: 0.09, maxBars: 10 });
    expect(liveExits({})).toEqual({ stop: 0.05, target: 0.1, maxBars: 20 });
    expect(shadowExits('tighter', live)).toEqual({ stop: 0.02, target: 0.045, maxBars: 10 });
    expect(shadowExits('wider', live)).toEqual({ stop: 0.06, target: 0.09 * 1.5, maxBars: 10 });
    expect(shadowExits('scalp', live)).toEqual({ stop: 0.02, target: 0.01, maxBars: 3 });
  });

  it('exits by the fill contract: nothing on the entry bar, a gap through the stop at the open, stop before target', () => {
    const plan = { stop: 0.05, target: 0.1, maxBars: 20 };
    // The entry bar's own low would hit the stop: ignored. Bar 2 gaps below 95: filled at its open, 93.
    const gap = ghostExit(
      'long',
      100,
      [bar('d0', 100, 101, 90, 100), bar('d1', 99, 101, 97, 98), bar('d2', 93, 94, 92, 93)],
      plan,
    );
    expect(gap).toEqual({ at: 'd2', price: 93, reason: 'stop', pnl: 93 / 100 - 1 });
    // One bar reaching both the stop and the target: the stop.
    expect(
      ghostExit('long', 100, [bar('d0', 100, 100, 100, 100), bar('d1', 100, 111, 94, 105)], plan)?.reason,
    ).toBe('stop');
    // A short's target below.
    expect(
      ghostExit('short', 100, [bar('d0', 100, 100, 100, 100), bar('d1', 99, 100, 89, 90)], plan),
    ).toEqual({
      at: 'd1',
      price: 90,
      reason: 'target',
      pnl: -(90 / 100 - 1),
    });
    // The time stop exits at the close of the last bar; with fewer bars the ghost is still open.
    const flat = [
      bar('d0', 100, 100, 100, 100),
      bar('d1', 100, 101, 99, 100.5),
      bar('d2', 100, 101, 99, 101),
    ];
    expect(ghostExit('long', 100, flat, { ...plan, maxBars: 2 })).toEqual({
      at: 'd2',
      price: 101,
      reason: 'time',
      pnl: 101 / 100 - 1,
    });
    expect(ghostExit('long', 100, flat, plan)).toBeUndefined();
  });

  it('reports a shadow as beating live only after 30 ghost trades with a higher mean', () => {
    const ghosts = (shadow: 'tighter' | 'wider' | 'scalp', n: number, pnl: number, livePnl: number) =>
      Array.from({ length: n }, () => ({ shadow, pnl, livePnl }));
    const reports = shadowReports([
      ...ghosts('tighter', 30, 0.02, 0.01),
      ...ghosts('wider', 29, 0.05, 0.01),
      ...ghosts('scalp', 40, 0, 0.01),
    ]);
    expect(reports.map((r) => [r.shadow, r.trades, r.beatsLive])).toEqual([
      ['tighter', 30, true],
      ['wider', 29, false],
      ['scalp', 40, false],
    ]);
    expect(reports[0]!.meanPnl).toBeCloseTo(0.02, 12);
    expect(reports[0]!.liveMeanPnl).toBeCloseTo(0.01, 12);
  });
});
