import { describe, expect, it } from 'vitest';
import { curvePaths } from '../../dashboard/src/components/portfolio/curves.ts';

describe('Portfolio page equity chart', () => {
  it('rescales the benchmark to the first equity and shares one y range across the three lines', () => {
    const p = curvePaths(
      [
        { date: 'a', equity: 100, benchmark_close: 50, backtest_equity: 100 },
        { date: 'b', equity: 110, benchmark_close: 60, backtest_equity: 110 },
        { date: 'c', equity: 90, benchmark_close: null, backtest_equity: null },
      ],
      200,
      100,
    );
    // The benchmark 50 -> 60 reads as 100 -> 120, the top of the range; a missing point lifts the pen.
    expect(p.min).toBe(90);
    expect(p.max).toBe(120);
    expect(p.benchmark).toBe('M0.0,66.7L100.0,0.0');
    expect(p.equity).toBe('M0.0,66.7L100.0,33.3L200.0,100.0');
    expect(p.backtest).toBe('M0.0,66.7L100.0,33.3');
  });

  it('draws nothing for an empty curve', () => {
    expect(curvePaths([], 10, 10)).toMatchObject({ equity: '', benchmark: '', backtest: '' });
  });
});
