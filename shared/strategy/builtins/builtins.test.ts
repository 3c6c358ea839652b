import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../engine/backtest.ts';
import { buildPanel } from '../../engine/panel.ts';
import { AppError } from '../../errors/index.ts';
import { strategyName } from '../naming.ts';
import { BUILTIN_STRATEGIES, builtinSpec } from './index.ts';

describe('built-in strategies', () => {
  it('each builds a valid spec from its defaults, with a one-line description', () => {
    for (const b of BUILTIN_STRATEGIES) {
      const spec = builtinSpec(b.id);
      expect(spec.id).toBe(b.id);
      expect(b.description).toMatch(/^[^\n]+\.$/);
      expect(strategyName(spec, null)).toMatch(new RegExp(`^MULTI_${spec.type}_[0-9A-Z]{5}$`));
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
