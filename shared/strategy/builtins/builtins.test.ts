import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../engine/backtest.ts';
import { rebalanceDays } from '../../engine/decide.ts';
import { strategyReads } from '../../engine/load.ts';
import { buildPanel, type PanelRow } from '../../engine/panel.ts';
import { AppError } from '../../errors/index.ts';
import { computeFeatures } from '../../features/compute.ts';
import { strategyName } from '../naming.ts';
import { BUILTIN_STRATEGIES, builtinParameters, builtinSpec } from './index.ts';

describe('built-in strategies', () => {
  it('each builds a valid spec from its defaults, with a one-line description', () => {
    for (const b of BUILTIN_STRATEGIES) {
      const spec = builtinSpec(b.id);
      expect(spec.id).toBe(b.id);
      expect(b.description).toMatch(/^[^\n]+\.$/);
      expect(strategyName(spec, null)).toMatch(new RegExp(`^MULTI_${spec.type}_[0-9A-Z]{5}$`));
    }
  });

  it('have unique ids and unique names', () => {
    const ids = BUILTIN_STRATEGIES.map((b) => b.id);
    const names = ids.map((id) => strategyName(builtinSpec(id), null));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('each trades over a real-shaped synthetic panel (40 assets, 2 years) without refusing every entry', () => {
    const panel = syntheticPanel(40, 520);
    for (const b of BUILTIN_STRATEGIES) {
      const r = runBacktest(builtinSpec(b.id), panel, { cash: 1_000_000 });
      const entries = r.fills.filter((f) => f.rule.startsWith('entry:')).length;
      expect({ id: b.id, tradesAboveFive: r.trades.length > 5 }).toEqual({ id: b.id, tradesAboveFive: true });
      expect(r.refusals.length, b.id).toBeLessThan(entries);
      expect(Number.isFinite(r.metrics.total_return), b.id).toBe(true);
    }
  });

  it('describe each parameter with the default and range that builtinSpec enforces', () => {
    expect(builtinParameters('sma_cross')).toEqual([
      {
        name: 'fast',
        description: 'Period of the fast SMA of the close, in bars',
        default: 10,
        integer: true,
        min: 2,
        min_exclusive: false,
        max: 400,
        max_exclusive: false,
      },
      expect.objectContaining({ name: 'slow', default: 30, min: 2, max: 400 }),
    ]);
    expect(builtinParameters('rsi_swing')).toEqual([]);
    for (const b of BUILTIN_STRATEGIES) {
      const params = builtinParameters(b.id);
      expect(params.length, b.id).toBeGreaterThan(0);
      for (const p of params) {
        const at = (value: number) => () => builtinSpec(b.id, { [p.name]: value });
        expect(p.description, `${b.id}.${p.name}`).toMatch(/^[A-Z][^\n]+$/);
        expect(at(p.default)).not.toThrow();
        // Just past each end of the shown range is refused; an inclusive end itself is accepted.
        if (p.min !== null)
          expect(at(p.min_exclusive ? p.min : p.min - 1), `${b.id}.${p.name}`).toThrow(AppError);
        if (p.max !== null)
          expect(at(p.max_exclusive ? p.max : p.max + 1), `${b.id}.${p.name}`).toThrow(AppError);
        if (p.integer) expect(at(p.default + 0.5)).toThrow(AppError);
      }
    }
  });

  it('refuses an unknown built-in and a bad parameter, naming it', () => {
    expect(() => builtinSpec('nope')).toThrow(/unknown built-in strategy "nope": expected sma_cross/);
    expect(() => builtinSpec('sma_cross', { fast: 40 })).toThrow(/fast: fast must be below slow/);
    expect(() => builtinSpec('sma_cross', { slow: 1.5 })).toThrow(AppError);
  });
});

describe('sma_cross', () => {
  it('defaults to SMA 10 / 30, long above, short below, reversing, all cash, no costs', () => {
    const spec = builtinSpec('sma_cross');
    expect(spec.entry.long?.ma_cross).toEqual({
      fast: { kind: 'sma', period: 10 },
      slow: { kind: 'sma', period: 30 },
      cross: 'above',
    });
    expect(spec.entry.short?.ma_cross?.cross).toBe('below');
    expect(spec.exit.reverse).toBe(true);
    expect(spec.sizing).toEqual({ mode: 'all_cash' });
    expect(spec.costs).toEqual({ fee_rate: 0, fee_fixed: 0, slippage_rate: 0 });
  });

  it('trades a hand-checked series with fast 2 / slow 4 at the next opens, in whole units', () => {
    // Close-only bars (open = high = low = close). SMA2 / SMA4 by day:
    //  d3 10/10, d4 11/10.5 (cross up), d5 13/11.5, d6 15/13, d7 15/14, d8 12/13.5 (cross down),
    //  d9 9/12, d10 8/10, d11 8/8.5, d12 10/9.5 (cross up), d13 12.5/10.25.
    const closes = [10, 10, 10, 10, 12, 14, 16, 14, 10, 8, 8, 8, 12, 13];
    const panel = buildPanel(
      closes.map((c, d) => ({
        symbol: 'X',
        assetType: 'equity',
        date: `2024-01-${String(d + 1).padStart(2, '0')}`,
        open: c,
        high: c,
        low: c,
        close: c,
        volume: 1e6,
      })),
    );
    const r = runBacktest(builtinSpec('sma_cross', { fast: 2, slow: 4 }), panel, { cash: 1000 });
    // d5: buy floor(1000 / 14) = 71 at 14 (cash 6). d9: sell 71 at 8 (cash 574), short floor(574 / 8) = 71
    // at 8 (cash 1142). d13: cover 71 at 13 (cash 219), buy floor(219 / 13) = 16 at 13 (cash 11).
    expect(r.fills.map((f) => [f.day, f.side, f.qty, f.price, f.rule])).toEqual([
      [5, 'buy', 71, 14, 'entry:ma_cross'],
      [9, 'sell', 71, 8, 'exit:reverse'],
      [9, 'sell', 71, 8, 'entry:short ma_cross'],
      [13, 'buy', 71, 13, 'exit:reverse'],
      [13, 'buy', 16, 13, 'entry:ma_cross'],
    ]);
    expect(r.trades.map((t) => [t.side, t.pnl])).toEqual([
      ['long', -426],
      ['short', -355],
    ]);
    expect(r.state.cash).toBe(11);
    expect(r.equity[r.equity.length - 1]).toBe(219);
    expect(r.metrics.total_return).toBeCloseTo(-0.781, 12);
  });
});

/** A deterministic generator (mulberry32), so the synthetic panel is the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Assets × business days of real-shaped bars (random walks with drifts and volatility that differ by
 * asset and regime, intraday ranges, volume with bursts) and every catalogue feature the built-ins read.
 */
function syntheticPanel(nAssets: number, nDays: number) {
  const rand = random(13);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dates = businessDates(nDays);
  const reads = new Set(BUILTIN_STRATEGIES.flatMap((b) => strategyReads(builtinSpec(b.id)).features));
  const rows: PanelRow[] = [];
  for (let a = 0; a < nAssets; a++) {
    const symbol = `S${String(a).padStart(2, '0')}`;
    const bars = {
      dates,
      open: new Float64Array(nDays),
      high: new Float64Array(nDays),
      low: new Float64Array(nDays),
      close: new Float64Array(nDays),
      volume: new Float64Array(nDays),
    };
    let price = 5 + rand() * 300;
    const vol = 0.01 + rand() * 0.025;
    for (let d = 0; d < nDays; d++) {
      // Drift switches sign every ~120 days, so trends start and end.
      const drift = (Math.floor((d + a * 37) / 120) % 2 === 0 ? 1 : -1) * 0.0015;
      const open = price * (1 + 0.3 * vol * normal());
      const close = open * (1 + drift + vol * normal());
      bars.open[d] = open;
      bars.close[d] = close;
      bars.high[d] = Math.max(open, close) * (1 + Math.abs(vol * 0.6 * normal()));
      bars.low[d] = Math.min(open, close) * (1 - Math.abs(vol * 0.6 * normal()));
      bars.volume[d] = Math.round(1e6 * Math.exp(0.4 * normal()) * (rand() < 0.08 ? 2.5 : 1));
      price = close;
    }
    const features = computeFeatures(bars, { periodsPerYear: 252 }) as Record<string, Float64Array>;
    for (let d = 0; d < nDays; d++)
      rows.push({
        symbol,
        assetType: 'equity',
        date: dates[d]!,
        open: bars.open[d]!,
        high: bars.high[d]!,
        low: bars.low[d]!,
        close: bars.close[d]!,
        volume: bars.volume[d]!,
        features: Object.fromEntries([...reads].map((f) => [f, features[f]![d]!])),
      });
  }
  return buildPanel(rows, { features: [...reads] });
}

/** One bar with the features a test sets; `o` alone makes a flat bar at that price. */
interface Day {
  o: number;
  h?: number;
  l?: number;
  c?: number;
  f?: Record<string, number>;
}

/** Business days from Monday 2024-01-01 (weekends skipped), so weekly rules see real weeks. */
function businessDates(n: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(2024, 0, 1); out.length < n; t += 86_400_000) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** A panel of hand-set bars and feature values per symbol. */
function handPanel(series: Record<string, Day[]>, features: string[]) {
  const n = Math.max(...Object.values(series).map((s) => s.length));
  const dates = businessDates(n);
  return buildPanel(
    Object.entries(series).flatMap(([symbol, days]) =>
      days.map((x, d) => ({
        symbol,
        assetType: 'equity' as const,
        date: dates[d]!,
        open: x.o,
        high: x.h ?? Math.max(x.o, x.c ?? x.o),
        low: x.l ?? Math.min(x.o, x.c ?? x.o),
        close: x.c ?? x.o,
        volume: 1e6,
        features: x.f ?? {},
      })),
    ),
    { features },
  );
}

const fillsOf = (r: ReturnType<typeof runBacktest>, panel: ReturnType<typeof buildPanel>) =>
  r.fills.map((f) => [panel.assets[f.asset]!.symbol, f.day, f.side, f.qty, f.price, f.rule]);

describe('rsi_macd_momentum', () => {
  it('enters on the MACD cross up with RSI above 50, leaves at the ATR stop or when RSI fades', () => {
    const m = (macd: number, sig: number, rsi: number) => ({
      macd,
      macd_signal: sig,
      rsi_14: rsi,
      atr_14: 2,
    });
    const panel = handPanel(
      {
        // d1: MACD crosses above its signal, RSI 60: buy at d2's open 100, stop 100 - 2 x 2 = 96;
        // d3 trades down to 95: the stop fills at 96.
        A: [
          { o: 100, f: m(0, 0.1, 55) },
          { o: 100, f: m(0.2, 0.1, 60) },
          { o: 100, f: m(0.3, 0.1, 60) },
          { o: 99, l: 95, c: 97, f: m(0.3, 0.1, 60) },
          { o: 97, f: m(0.3, 0.1, 60) },
          { o: 97, f: m(0.3, 0.1, 60) },
        ],
        // d1 crosses with RSI 45 (no entry); d3 crosses again with RSI 70: buy at d4's open 51;
        // d4's RSI 35 is below 40: sold at d5's open 52.
        B: [
          { o: 50, f: m(0, 0.1, 55) },
          { o: 50, f: m(0.2, 0.1, 45) },
          { o: 50, f: m(0.1, 0.15, 50) },
          { o: 50, f: m(0.2, 0.15, 70) },
          { o: 51, f: m(0.2, 0.15, 35) },
          { o: 52, f: m(0.2, 0.15, 35) },
        ],
      },
      ['macd', 'macd_signal', 'rsi_14', 'atr_14'],
    );
    const r = runBacktest(builtinSpec('rsi_macd_momentum'), panel, { cash: 10_000 });
    // Equal split over 10 slots: 1,000 of equity each, whole units.
    expect(fillsOf(r, panel)).toEqual([
      ['A', 2, 'buy', 10, 100, 'entry:condition'],
      ['A', 3, 'sell', 10, 96, 'exit:stop'],
      ['B', 4, 'buy', 19, 51, 'entry:condition'],
      ['B', 5, 'sell', 19, 52, 'exit:signal'],
    ]);
  });
});

describe('zscore_reversion', () => {
  it('buys below -2, sells back at 0, and leaves after the time stop', () => {
    const z = (zscore_20: number) => ({ zscore_20 });
    const panel = handPanel(
      {
        // d1 z = -2.5: buy at d2's open 20; d3 z = 0.1: sold at d4's open 22.
        A: [
          { o: 20, f: z(-1) },
          { o: 20, f: z(-2.5) },
          { o: 20, f: z(-1) },
          { o: 21, f: z(0.1) },
          { o: 22, f: z(0.2) },
          { o: 22, f: z(0.2) },
        ],
        // d1 z = -3 and it stays there: bought at d2, 3 bars d2..d4 (time_stop 3), sold at d5's open.
        B: [
          { o: 10, f: z(-1) },
          { o: 10, f: z(-3) },
          { o: 10, f: z(-3) },
          { o: 10, f: z(-3) },
          { o: 10, f: z(-3) },
          { o: 11, f: z(-3) },
        ],
      },
      ['zscore_20'],
    );
    const r = runBacktest(builtinSpec('zscore_reversion', { time_stop: 3 }), panel, { cash: 10_000 });
    // B ranks first (z -3 is lower than -2.5), then A; 1,000 each.
    expect(fillsOf(r, panel)).toEqual([
      ['B', 2, 'buy', 100, 10, 'entry:condition'],
      ['A', 2, 'buy', 50, 20, 'entry:condition'],
      ['A', 4, 'sell', 50, 22, 'exit:signal'],
      ['B', 5, 'sell', 100, 11, 'exit:time_stop'],
    ]);
  });
});

describe('breakout_participation', () => {
  it('buys the breakout on 1.5x volume and leaves at the ATR trailing stop', () => {
    const f = (prior_high_20: number, rvol_20: number) => ({
      prior_high_20,
      rvol_20,
      atr_14: 1,
    });
    const panel = handPanel(
      {
        // d1 closes 105 above the prior high 104 on 2x volume (d0's 1.2x was too thin): buy at d2's open 100.
        // d2's high 104 raises the best price (no exit on the entry bar); d3 falls to 100.5: the trail
        // 104 - 3 x 1 = 101 fills.
        A: [
          { o: 100, c: 105, f: f(104, 1.2) },
          { o: 100, c: 105, f: f(104, 2) },
          { o: 100, h: 104, l: 100, c: 103, f: f(105, 1) },
          { o: 103, h: 103, l: 100.5, c: 101, f: f(105, 1) },
          { o: 101, f: f(105, 1) },
        ],
      },
      ['prior_high_20', 'rvol_20', 'atr_14'],
    );
    const r = runBacktest(builtinSpec('breakout_participation'), panel, { cash: 10_000 });
    expect(fillsOf(r, panel)).toEqual([
      ['A', 2, 'buy', 10, 100, 'entry:condition'],
      ['A', 3, 'sell', 10, 101, 'exit:trailing'],
    ]);
  });
});

describe('golden_cross', () => {
  it('buys the SMA 50/200 cross up, trails 15% below the high, leaves on the death cross', () => {
    const s = (sma_50: number, sma_200: number) => ({ sma_50, sma_200 });
    const panel = handPanel(
      {
        // d1 golden cross: buy at d2's open 100; d3's high 120 raises the trail to 102; d4 falls to 101:
        // the trail fills at 102.
        A: [
          { o: 100, f: s(99, 100) },
          { o: 100, f: s(101, 100) },
          { o: 100, f: s(102, 100) },
          { o: 110, h: 120, l: 108, c: 115, f: s(103, 100) },
          { o: 110, h: 111, l: 101, c: 105, f: s(104, 100) },
          { o: 105, f: s(104, 100) },
        ],
        // d1 golden cross: buy at d2's open 40; d3 death cross: sold at d4's open 39.
        B: [
          { o: 40, f: s(39, 40) },
          { o: 40, f: s(41, 40) },
          { o: 40, f: s(41, 40) },
          { o: 40, f: s(39, 40) },
          { o: 39, f: s(38, 40) },
          { o: 39, f: s(38, 40) },
        ],
      },
      ['sma_50', 'sma_200'],
    );
    const r = runBacktest(builtinSpec('golden_cross'), panel, { cash: 10_000 });
    // 20 slots: 500 each.
    expect(fillsOf(r, panel)).toEqual([
      ['A', 2, 'buy', 5, 100, 'entry:condition'],
      ['B', 2, 'buy', 12, 40, 'entry:condition'],
      // Exits decided at the close fill at the open, before the bar's stops.
      ['B', 4, 'sell', 12, 39, 'exit:signal'],
      ['A', 4, 'sell', 5, 102, 'exit:trailing'],
    ]);
  });
});

describe('day_trading', () => {
  it('buys at the open, takes the bracket target of its price range, trails, and is out by the close', () => {
    const pool = { rvol_20: 1.2, ret_1: 0.01, sma_20: 1 };
    const quiet = { rvol_20: 1, ret_1: 0.01, sma_20: 1 };
    const panel = handPanel(
      {
        // Entry 40 is in [10, 50): target 3% = 41.2, reached by d2's high 42.
        A: [
          { o: 40, f: quiet },
          { o: 40, f: pool },
          { o: 40, h: 42, l: 39.5, c: 41, f: quiet },
        ],
        // Entry 120 is in [50, 200): target 2.4 (122.4) and the 2% trail (117.6) untouched: out at the close.
        B: [
          { o: 120, f: quiet },
          { o: 120, f: pool },
          { o: 120, h: 121, l: 119, c: 120.5, f: quiet },
        ],
        // Entry 5 is in [0, 10): target 5.2 not reached; the low 4.8 goes through the trail at 4.9.
        C: [
          { o: 5, f: quiet },
          { o: 5, f: pool },
          { o: 5, h: 5.1, l: 4.8, c: 4.95, f: quiet },
        ],
      },
      ['rvol_20', 'ret_1', 'sma_20'],
    );
    const r = runBacktest(builtinSpec('day_trading'), panel, { cash: 10_000 });
    // 5 slots: 2,000 each.
    expect(fillsOf(r, panel)).toEqual([
      ['A', 2, 'buy', 50, 40, 'entry:condition'],
      ['B', 2, 'buy', 16, 120, 'entry:condition'],
      ['C', 2, 'buy', 400, 5, 'entry:condition'],
      ['A', 2, 'sell', 50, 41.2, 'exit:target'],
      ['C', 2, 'sell', 400, 4.9, 'exit:trailing'],
      ['B', 2, 'sell', 16, 120.5, 'exit:end_of_day'],
    ]);
    expect(r.state.open).toBe(0);
  });
});

describe('momentum_rotation', () => {
  it('rebalances into the top N on the first trading day of each week only', () => {
    const r60 = (values: number[]) => values.map((ret_60) => ({ o: 10, f: { ret_60 } }));
    // Ten business days from Monday 2024-01-01: rebalances decided on d0 (Mon 1st) and d5 (Mon 8th).
    const panel = handPanel(
      {
        A: r60([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]),
        B: r60([0.2, 0.2, 0.2, 0.2, 0.2, -0.1, -0.1, -0.1, -0.1, -0.1]),
        // C leads from Wednesday d2, but nothing trades before the next Monday.
        C: r60([0.1, 0.1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
      },
      ['ret_60'],
    );
    const r = runBacktest(builtinSpec('momentum_rotation', { top_n: 2 }), panel, { cash: 10_000 });
    expect(fillsOf(r, panel)).toEqual([
      ['A', 1, 'buy', 500, 10, 'entry:condition'],
      ['B', 1, 'buy', 500, 10, 'entry:condition'],
      // d5: C (0.5) and A (0.3) are the top 2; B's return turned negative: sold, C bought at d6's open.
      ['B', 6, 'sell', 500, 10, 'exit:rebalance'],
      ['C', 6, 'buy', 500, 10, 'entry:condition'],
    ]);
  });

  it('rebalances on the first trading day on or after the weekday, once a week', () => {
    // Tue 2nd, Wed 3rd, Mon 8th, Tue 9th, Tue 16th (Monday 15th a holiday), Thu 18th.
    const dates = ['2024-01-02', '2024-01-03', '2024-01-08', '2024-01-09', '2024-01-16', '2024-01-18'];
    expect(Array.from(rebalanceDays(dates, 1))).toEqual([1, 0, 1, 0, 1, 0]);
    expect(Array.from(rebalanceDays(dates, 3))).toEqual([0, 1, 0, 0, 0, 1]);
  });
});
