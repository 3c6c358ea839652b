import type { EquityLine } from '../backtests/EquityChart.tsx';

// The Portfolio page's equity chart as data for the dashboard's chart (lightweight-charts, the same
// component as a backtest's result): the paper equity, the same strategy's backtest over the same days,
// the benchmark rescaled to start at the portfolio's first equity (so both read as the same money), and
// the paper equity's drawdown.

/** One day of the equity curve as the API returns it. */
export interface CurvePoint {
  date: string;
  equity: number;
  benchmark_close: number | null;
  backtest_equity: number | null;
}

/** The lines to draw (a line without points is left out) and the paper equity's drawdown (a fraction, ≤ 0). */
export function equityLines(points: readonly CurvePoint[]): {
  lines: EquityLine[];
  drawdown: { date: string; drawdown: number }[];
} {
  const firstBench = points.find((p) => p.benchmark_close !== null)?.benchmark_close ?? null;
  const start = points[0]?.equity ?? 0;
  const lines: EquityLine[] = [
    {
      label: 'paper equity',
      color: '#2c6fd0',
      points: points.map((p) => ({ date: p.date, equity: p.equity })),
    },
    {
      label: 'backtest, same days',
      color: '#d08a2c',
      points: points.flatMap((p) =>
        p.backtest_equity === null ? [] : [{ date: p.date, equity: p.backtest_equity }],
      ),
    },
    {
      label: 'benchmark',
      color: '#888888',
      dashed: true,
      points: points.flatMap((p) =>
        firstBench === null || p.benchmark_close === null
          ? []
          : [{ date: p.date, equity: (p.benchmark_close / firstBench) * start }],
      ),
    },
  ];
  let peak = Number.NEGATIVE_INFINITY;
  const drawdown = points.map((p) => {
    peak = Math.max(peak, p.equity);
    return { date: p.date, drawdown: peak > 0 ? p.equity / peak - 1 : 0 };
  });
  return { lines: lines.filter((l) => l.points.length > 0), drawdown };
}
