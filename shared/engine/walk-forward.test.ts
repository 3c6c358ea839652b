import { describe, expect, it } from 'vitest';
import { builtinSpec } from '../strategy/builtins/index.ts';
import { parseStrategy } from '../strategy/spec.ts';
import { runBacktest } from './backtest.ts';
import { computeMetrics } from './metrics.ts';
import { buildPanel } from './panel.ts';
import { strategyLookback, walkForward, walkForwardFolds } from './walk-forward.ts';

const dateOf = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);

/** One crypto asset with close-only bars (open = high = low = close). */
const closesPanel = (closes: readonly number[]) =>
  buildPanel(
    closes.map((c, d) => ({
      symbol: 'X',
      assetType: 'crypto',
      date: dateOf(d),
      open: c,
      high: c,
      low: c,
      close: c,
      volume: 1e6,
    })),
  );

describe('walkForwardFolds', () => {
  it('cuts rolling folds: the train window slides by the step, the embargo sits before each test', () => {
    expect(walkForwardFolds({ mode: 'rolling', train: 10, test: 5, embargo: 2, to: 29 })).toEqual([
      { trainFrom: 0, trainTo: 9, testFrom: 12, testTo: 16 },
      { trainFrom: 5, trainTo: 14, testFrom: 17, testTo: 21 },
      { trainFrom: 10, trainTo: 19, testFrom: 22, testTo: 26 },
    ]);
    expect(
      walkForwardFolds({ mode: 'rolling', train: 10, test: 5, step: 7, embargo: 2, from: 3, to: 29 }),
    ).toEqual([
      { trainFrom: 3, trainTo: 12, testFrom: 15, testTo: 19 },
      { trainFrom: 10, trainTo: 19, testFrom: 22, testTo: 26 },
    ]);
  });

  it('cuts anchored folds: the train window starts at from and grows by the step', () => {
    expect(walkForwardFolds({ mode: 'anchored', train: 10, test: 5, embargo: 2, to: 29 })).toEqual([
      { trainFrom: 0, trainTo: 9, testFrom: 12, testTo: 16 },
      { trainFrom: 0, trainTo: 14, testFrom: 17, testTo: 21 },
      { trainFrom: 0, trainTo: 19, testFrom: 22, testTo: 26 },
    ]);
  });

  it('refuses overlapping test windows, bad lengths and a range with no fold', () => {
    expect(() =>
      walkForwardFolds({ mode: 'rolling', train: 10, test: 5, step: 4, embargo: 0, to: 99 }),
    ).toThrow(/step must be .* at least test \(5\)/);
    expect(() => walkForwardFolds({ mode: 'rolling', train: 0, test: 5, embargo: 0, to: 99 })).toThrow(
      RangeError,
    );
    expect(() => walkForwardFolds({ mode: 'rolling', train: 10, test: 5, embargo: -1, to: 99 })).toThrow(
      RangeError,
    );
    expect(() => walkForwardFolds({ mode: 'anchored', train: 20, test: 5, embargo: 6, to: 29 })).toThrow(
      /days 0\.\.29 hold no fold of 20 train \+ 6 embargo \+ 5 test days/,
    );
  });
});

describe('strategyLookback', () => {
  it('is the deepest bar any rule reads: catalogue lookbacks plus crosses, moving averages, ATR, templates', () => {
    // SMA 30 cross: the slow average of the day before reads 30 bars back.
    expect(strategyLookback(builtinSpec('sma_cross'))).toBe(30);
    expect(strategyLookback(builtinSpec('sma_cross', { fast: 5, slow: 50 }))).toBe(50);
    // zscore_20 has a 19-bar lookback; compared on the day, ranked by the same feature.
    expect(strategyLookback(builtinSpec('zscore_reversion'))).toBe(19);
    // macd's lookback is 33, and a cross reads one day more.
    expect(strategyLookback(builtinSpec('rsi_macd_momentum'))).toBe(34);
    // sma_200 (199) crossed: 200.
    expect(strategyLookback(builtinSpec('golden_cross'))).toBe(200);
    // ret_60 (60).
    expect(strategyLookback(builtinSpec('momentum_rotation'))).toBe(60);
    // A template's inputs: breakout_participation reads dist_high_252 (251) as evidence.
    const viaTemplate = parseStrategy({
      ...builtinSpec('breakout_participation'),
      entry: { long: { signals: { mode: 'any', templates: ['breakout_participation'] } }, max_positions: 5 },
    });
    expect(strategyLookback(viaTemplate)).toBe(251);
    expect(() =>
      strategyLookback(
        parseStrategy({
          ...viaTemplate,
          entry: { long: { signals: { mode: 'any', templates: ['mine'] } }, max_positions: 5 },
        }),
      ),
    ).toThrow(/unknown signal template "mine"/);
  });
});

describe('walkForward', () => {
  // SMA 2/4 reads 4 bars back. Flat at 10, then a jump to 20 on day 14: the cross up on day 14 buys at
  // day 15's open. Folds of 10 train + 4 embargo + 8 test days: the first test window is days 14..21.
  const spec = builtinSpec('sma_cross', { fast: 2, slow: 4 });
  const closes = Array.from({ length: 30 }, (_, d) => (d < 14 ? 10 : 20));

  it('keeps every test decision away from the train window: garbage there changes nothing', () => {
    const clean = walkForward(spec, closesPanel(closes), { mode: 'rolling', train: 10, test: 8, cash: 1000 });
    expect(clean.embargo).toBe(4);
    expect(clean.folds.map((f) => [f.trainFrom, f.trainTo, f.testFrom, f.testTo])).toEqual([
      [0, 9, 14, 21],
      [8, 17, 22, 29],
    ]);
    const first = clean.folds[0]!.testRun;
    expect(first.fills.map((f) => [f.day, f.side, f.qty, f.price])).toEqual([[15, 'buy', 50, 20]]);
    // The first fold's train days (0..9) replaced by garbage: its test run is the same.
    const garbage = closes.map((c, d) => (d <= 9 ? 0.001 : c));
    const dirty = walkForward(spec, closesPanel(garbage), {
      mode: 'rolling',
      train: 10,
      test: 8,
      cash: 1000,
    });
    expect(dirty.folds[0]!.testRun.fills).toEqual(first.fills);
    expect(dirty.folds[0]!.testRun.equity).toEqual(first.equity);
    // One day less of embargo and the garbage on day 9 reaches the decision (SMA 4 of day 13 reads it):
    // refused, and a run cut that way indeed trades differently.
    expect(() =>
      walkForward(spec, closesPanel(closes), { mode: 'rolling', train: 10, test: 8, cash: 1000, embargo: 3 }),
    ).toThrow(/embargo 3 is shorter than the 4 days/);
    // With the jump a day earlier (day 13, the first test day of a 3-day embargo), the clean series buys
    // at day 14's open; day 9's garbage puts SMA 2 above SMA 4 on day 12, so there is no cross.
    const early = closes.map((_, d) => (d < 13 ? 10 : 20));
    const short = (c: number[]) => runBacktest(spec, closesPanel(c), { cash: 1000, from: 13, to: 20 }).fills;
    expect(short(early).map((f) => [f.day, f.side])).toEqual([[14, 'buy']]);
    expect(short(early.map((c, d) => (d <= 9 ? 0.001 : c)))).toEqual([]);
  });

  it('chains the test windows into the out-of-sample curve, each scaled to start where the last ended', () => {
    // A zigzag with a drift, so both folds trade and end away from their start.
    const zigzag = Array.from({ length: 80 }, (_, d) => 50 + d * 0.3 + 6 * Math.sin(d / 3));
    const panel = closesPanel(zigzag);
    const wf = walkForward(spec, panel, { mode: 'anchored', train: 20, test: 15, step: 20, cash: 1000 });
    expect(wf.folds.map((f) => [f.trainFrom, f.trainTo, f.testFrom, f.testTo])).toEqual([
      [0, 19, 24, 38],
      [0, 39, 44, 58],
      [0, 59, 64, 78],
    ]);
    const expected = [1000];
    for (const f of wf.folds) {
      const run = runBacktest(spec, panel, { cash: 1000, from: f.testFrom, to: f.testTo });
      expect(run.trades.length).toBeGreaterThan(0);
      expect(f.test).toEqual(run.metrics);
      expect(f.train).toEqual(
        runBacktest(spec, panel, { cash: 1000, from: f.trainFrom, to: f.trainTo }).metrics,
      );
      const level = expected[expected.length - 1]!;
      for (const e of run.equity) expected.push(e * (level / 1000));
    }
    expect(Array.from(wf.oosEquity)).toEqual(expected);
    expect(wf.oos.total_return).toBeCloseTo(expected[expected.length - 1]! / 1000 - 1, 12);
    expect(wf.oos.sharpe).toBe(computeMetrics({ equity: expected, periodsPerYear: 365 }).sharpe);
    expect(wf.oos.trades).toBe(wf.folds.reduce((s, f) => s + f.testRun.trades.length, 0));
  });
});
