import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test/support/random.ts';
import { multiExitSpec, testSpec } from '../../test/support/strategies.ts';
import { atr } from '../indicators/atr/index.ts';
import { rsi } from '../indicators/rsi/index.ts';
import { sma } from '../indicators/sma/index.ts';
import { builtinSpec } from '../strategy/builtins/index.ts';
import { parseStrategy, type StrategySpec } from '../strategy/spec.ts';
import { buyAndHold, runBacktest } from './backtest.ts';
import { compileStrategy, decide } from './decide.ts';
import { buildPanel, type Panel, type PanelRow } from './panel.ts';
import { loadState, storeState } from './state.ts';
import { createState, type Decisions, NO_DECISIONS, step } from './step.ts';

const date = (d: number) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);

/** Rows of one equity from [open, close, features] per day; high and low are the larger and smaller of the two. */
function rowsOf(symbol: string, days: [number, number, Record<string, number>?, string[]?][]): PanelRow[] {
  return days.map(([open, close, features, signals], d) => ({
    symbol,
    assetType: 'equity',
    date: date(d),
    open,
    high: Math.max(open, close),
    low: Math.min(open, close),
    close,
    volume: 1e6,
    features: features ?? {},
    signals: signals ?? [],
  }));
}

describe('runBacktest on a hand-checked series', () => {
  it('enters on RSI below 30, leaves on RSI above 70, at the next opens', () => {
    const panel = buildPanel(
      rowsOf('X', [
        [100, 100, { rsi_14: 50 }],
        [99, 98, { rsi_14: 25 }],
        [97, 99, { rsi_14: 40 }],
        [100, 105, { rsi_14: 75 }],
        [106, 107, { rsi_14: 60 }],
        [105, 104, { rsi_14: 28 }],
        [103, 101, { rsi_14: 35 }],
      ]),
      { features: ['rsi_14'] },
    );
    const spec = testSpec({
      entry: {
        long: { when: { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } } },
        max_positions: 1,
      },
      exit: { signal: { long: { left: { feature: 'rsi_14' }, op: '>', right: { value: 70 } } } },
    });
    const r = runBacktest(spec, panel, { cash: 1000 });
    // Day 2: 1000 / 97 → 10 units (cash 30); day 4: sold at 106 (cash 1090); day 6: 1090 / 103 → 10 units
    // (cash 60), marked at 101: 1070.
    expect(r.fills.map((f) => [f.day, f.side, f.qty, f.price, f.rule])).toEqual([
      [2, 'buy', 10, 97, 'entry:condition'],
      [4, 'sell', 10, 106, 'exit:signal'],
      [6, 'buy', 10, 103, 'entry:condition'],
    ]);
    expect([...r.equity]).toEqual([1000, 1000, 1020, 1080, 1090, 1090, 1070]);
    expect([...r.invested]).toEqual([0, 0, 1, 1, 0, 0, 1]);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]).toMatchObject({ pnl: 90, bars: 3 });
    expect(r.metrics.total_return).toBeCloseTo(0.07, 12);
    expect(r.metrics.trades).toBe(1);
    expect(r.metrics.win_rate).toBe(1);
    expect(r.metrics.exposure).toBeCloseTo(3 / 7, 12);
    expect(r.metrics.max_drawdown).toBeCloseTo(1070 / 1090 - 1, 12);
    // Turnover: (970 + 1060 + 1030) / 2 over the mean equity, per 7/252 of a year.
    const meanEquity = (1000 + 1000 + 1000 + 1020 + 1080 + 1090 + 1090 + 1070) / 8;
    expect(r.metrics.turnover).toBeCloseTo(3060 / 2 / meanEquity / (7 / 252), 9);
  });

  it('ranks qualifying assets, takes at most max_new_per_day and max_positions, names the fired templates', () => {
    const day = (rsi14: number, fired: boolean): [number, number, Record<string, number>, string[]] => [
      10,
      10,
      { rsi_14: rsi14 },
      fired ? ['rsi_oversold'] : [],
    ];
    const panel = buildPanel(
      [
        ...rowsOf('A', [day(25, true), day(25, true), day(25, true), day(25, true)]),
        ...rowsOf('B', [day(20, true), day(20, true), day(20, true), day(20, true)]),
        ...rowsOf('C', [day(28, true), day(28, true), day(28, true), day(28, true)]),
      ],
      { features: ['rsi_14'], signals: ['rsi_oversold'] },
    );
    const spec = testSpec({
      entry: {
        long: { signals: { mode: 'any', templates: ['rsi_oversold'] } },
        rank: { by: 'rsi_14', order: 'asc' },
        max_new_per_day: 1,
        max_positions: 2,
      },
      sizing: { mode: 'equal' },
    });
    const r = runBacktest(spec, panel, { cash: 1000 });
    // Lowest RSI first: B (20) on day 1, A (25) on day 2, then the two slots are full.
    expect(r.fills.map((f) => [f.day, panel.assets[f.asset]!.symbol, f.qty, f.rule])).toEqual([
      [1, 'B', 50, 'entry:signal rsi_oversold'],
      [2, 'A', 50, 'entry:signal rsi_oversold'],
    ]);
    expect(r.refusals).toEqual([]);
  });

  it('closes and reverses on the opposite signal at one open, and leaves by a time stop', () => {
    const hist = [1, 1, -1, -1, -1, -1, 1];
    const panel = buildPanel(
      rowsOf(
        'X',
        hist.map((h, d) => [100 + d, 100 + d, { macd_hist: h }]),
      ),
      { features: ['macd_hist'] },
    );
    const gtZero = (op: '>' | '<') => ({ left: { feature: 'macd_hist' }, op, right: { value: 0 } });
    const spec = testSpec({
      entry: { long: { when: gtZero('>') }, short: { when: gtZero('<') }, max_positions: 1 },
      exit: { reverse: true, time_stop_bars: 3 },
    });
    const r = runBacktest(spec, panel, { cash: 1000 });
    expect(r.fills.map((f) => [f.day, f.side, f.rule])).toEqual([
      [1, 'buy', 'entry:condition'],
      [3, 'sell', 'exit:reverse'],
      [3, 'sell', 'entry:short condition'],
      // Held for days 3, 4 and 5: three bars, out at day 6's open; day 6 decides a long for day 7 (none).
      [6, 'buy', 'exit:time_stop'],
    ]);
  });

  it('refuses a panel that lacks an input the spec reads', () => {
    const panel = buildPanel(rowsOf('X', [[1, 1]]));
    const spec = testSpec({
      entry: { long: { signals: { mode: 'any', templates: ['rsi_oversold'] } }, max_positions: 1 },
    });
    expect(() => runBacktest(spec, panel, { cash: 1000 })).toThrow(/lacks signal rsi_oversold/);
    const when = testSpec({
      entry: {
        long: { when: { left: { feature: 'sma_50' }, op: '>', right: { value: 0 } } },
        max_positions: 1,
      },
    });
    expect(() => runBacktest(when, panel, { cash: 1000 })).toThrow(/lacks sma_50/);
    expect(() => runBacktest(when, panel, { cash: 1000, from: 2 })).toThrow(/outside the panel/);
  });

  it('gives buy-and-hold metrics of a benchmark over the same days', () => {
    const panel = buildPanel(
      rowsOf('SPY', [
        [100, 100],
        [110, 110],
        [99, 99],
        [121, 121],
      ]),
    );
    const m = buyAndHold(panel, 0);
    expect(m.total_return).toBeCloseTo(0.21, 12);
    expect(m.max_drawdown).toBeCloseTo(-0.1, 12);
    expect(m.exposure).toBe(1);
  });
});

/** Random-walk bars with gaps, and the features the look-ahead strategy reads, computed by the kernels. */
function marketRows(symbols: string[], days: number, seed: number, garbageAfter = Number.POSITIVE_INFINITY) {
  const rand = mulberry32(seed);
  const garbage = mulberry32(seed ^ 0x5bd1e995);
  const rows: PanelRow[] = [];
  for (const symbol of symbols) {
    const open = new Float64Array(days);
    const high = new Float64Array(days);
    const low = new Float64Array(days);
    const close = new Float64Array(days);
    let prev = 50 + rand() * 100;
    for (let d = 0; d < days; d++) {
      // Draw the real path every day so the days before the cut are identical with and without garbage.
      const o = prev * (1 + (rand() - 0.5) * 0.03);
      const c = o * (1 + (rand() - 0.5) * 0.05);
      const h = Math.max(o, c) * (1 + rand() * 0.02);
      const l = Math.min(o, c) * (1 - rand() * 0.02);
      prev = c;
      const junk = d > garbageAfter;
      const g = () => 1 + garbage() * 1000;
      open[d] = junk ? g() : o;
      close[d] = junk ? g() : c;
      high[d] = junk ? Math.max(open[d]!, close[d]!) + 1 : h;
      low[d] = junk ? Math.min(open[d]!, close[d]!) / 2 : l;
    }
    const features = {
      sma_5: sma(close, 5),
      sma_20: sma(close, 20),
      rsi_14: rsi(close, 14),
      atr_14: atr(high, low, close, 14),
    };
    for (let d = 0; d < days; d++)
      rows.push({
        symbol,
        assetType: 'equity',
        date: date(d),
        open: open[d]!,
        high: high[d]!,
        low: low[d]!,
        close: close[d]!,
        volume: 1e6,
        features: Object.fromEntries(Object.entries(features).map(([k, v]) => [k, v[d]!])),
      });
  }
  return buildPanel(rows, { features: ['sma_5', 'sma_20', 'rsi_14', 'atr_14'] });
}

/** Every day's decisions and fills of a run up to day `to`. */
function trace(spec: StrategySpec, panel: Panel, to: number) {
  const compiled = compileStrategy(spec, panel);
  const state = createState(spec, panel, 100_000);
  const decisions: Decisions[] = [];
  let pending = NO_DECISIONS;
  for (let d = 0; d <= to; d++) {
    step(state, panel, d, pending);
    pending = decide(compiled, state, panel, d);
    decisions.push(pending);
  }
  return { decisions, fills: state.fills, equity: state.equity };
}

const multiExit = () => multiExitSpec({ max_new_per_day: 2, max_positions: 4 });

describe('paper trading: one day at a time, the state stored as JSON between days', () => {
  it("produces the backtest's fills, trades and equity exactly", () => {
    const spec = multiExit();
    const panel = marketRows(['AAA', 'BBB', 'CCC', 'DDD'], 200, 11);
    const backtest = runBacktest(spec, panel, { cash: 100_000 });
    expect(backtest.trades.length).toBeGreaterThan(10);
    const compiled = compileStrategy(spec, panel);
    let stored = storeState(createState(spec, panel, 100_000));
    let pending: Decisions = NO_DECISIONS;
    for (let d = 0; d < panel.nDays; d++) {
      const state = step(loadState(stored), panel, d, pending);
      expect(state.equity).toBe(backtest.equity[d]);
      pending = JSON.parse(JSON.stringify(decide(compiled, state, panel, d)));
      stored = storeState(state);
    }
    const paper = loadState(stored);
    expect(paper.fills).toEqual(backtest.fills);
    expect(paper.trades).toEqual(backtest.trades);
    expect(paper.refusals).toEqual(backtest.refusals);
  });
});

describe('no look-ahead: decisions on day t depend on nothing after t', () => {
  it('gives the same decisions and fills at 60 random decision days when every bar after the day is garbage, for three strategies', () => {
    const symbols = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
    const days = 250;
    // The second spec computes its moving averages inside the engine (ma_cross) rather than reading features;
    // the third is the weekly rotation (rebalance days from the dates), ranked by a feature this panel has.
    const rotation = builtinSpec('momentum_rotation', { top_n: 2 });
    const weekly = parseStrategy({
      ...rotation,
      entry: {
        ...rotation.entry,
        long: { when: { left: { feature: 'rsi_14' }, op: '>', right: { value: 50 } } },
        rank: { by: 'rsi_14', order: 'desc' },
      },
    });
    for (const strategy of [multiExit(), builtinSpec('sma_cross', { fast: 5, slow: 12 }), weekly]) {
      const full = trace(strategy, marketRows(symbols, days, 7), days - 1);
      expect(full.fills.length).toBeGreaterThan(20);
      const pick = mulberry32(99);
      for (let k = 0; k < 60; k++) {
        const t = 20 + Math.floor(pick() * (days - 21));
        const cut = trace(strategy, marketRows(symbols, days, 7, t), t);
        expect(cut.decisions[t], `${strategy.id}: decisions on day ${t}`).toEqual(full.decisions[t]);
        expect(cut.fills).toEqual(full.fills.filter((f) => f.day <= t));
      }
    }
  });
});
