import { describe, expect, it } from 'vitest';
import { equityLines } from '../../dashboard/src/components/portfolio/curves.ts';

describe('Portfolio page equity chart', () => {
  it('rescales the benchmark to the first equity, skips missing points, and draws the drawdown', () => {
    const { lines, drawdown } = equityLines([
      { date: '2026-01-02', equity: 100, benchmark_close: 50, backtest_equity: 100 },
      { date: '2026-01-05', equity: 110, benchmark_close: 60, backtest_equity: 110 },
      { date: '2026-01-06', equity: 88, benchmark_close: null, backtest_equity: null },
    ]);
    expect(lines.map((l) => [l.label, l.points.map((p) => p.equity)])).toEqual([
      ['paper equity', [100, 110, 88]],
      ['backtest, same days', [100, 110]],
      // 50 -> 60 reads as 100 -> 120.
      ['benchmark', [100, 120]],
    ]);
    expect(lines[2]!.dashed).toBe(true);
    expect(drawdown.map((d) => d.drawdown)).toEqual([0, 0, 88 / 110 - 1]);
  });

  it('leaves out a line with no points (a rebalance portfolio has no backtest)', () => {
    const { lines } = equityLines([
      { date: '2026-01-02', equity: 5, benchmark_close: null, backtest_equity: null },
    ]);
    expect(lines.map((l) => l.label)).toEqual(['paper equity']);
    expect(equityLines([])).toEqual({ lines: [], drawdown: [] });
  });
});
