// The Portfolio page's equity chart as data: the paper equity, the benchmark rescaled to start at the
// portfolio's first equity (so both read as the same money), and the strategy's backtest, as SVG paths.

/** One day of the equity curve as the API returns it. */
export interface CurvePoint {
  date: string;
  equity: number;
  benchmark_close: number | null;
  backtest_equity: number | null;
}

/** The three lines, each an SVG path in a `width` × `height` box (empty when a line has no points). */
export interface CurvePaths {
  equity: string;
  benchmark: string;
  backtest: string;
  min: number;
  max: number;
}

/** Scales the curves into the box: x by day index, y between the lowest and highest value of all three. */
export function curvePaths(points: readonly CurvePoint[], width: number, height: number): CurvePaths {
  const firstBench = points.find((p) => p.benchmark_close !== null)?.benchmark_close ?? null;
  const start = points[0]?.equity ?? 0;
  const bench = points.map((p) =>
    firstBench !== null && p.benchmark_close !== null ? (p.benchmark_close / firstBench) * start : null,
  );
  const values = [
    ...points.map((p) => p.equity),
    ...bench.filter((v): v is number => v !== null),
    ...points.map((p) => p.backtest_equity).filter((v): v is number => v !== null),
  ];
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const span = max - min || 1;
  const x = (i: number) => (points.length > 1 ? (i / (points.length - 1)) * width : width / 2);
  const y = (v: number) => height - ((v - min) / span) * height;
  const path = (vals: readonly (number | null)[]) => {
    let d = '';
    let pen = false;
    vals.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  return {
    equity: path(points.map((p) => p.equity)),
    benchmark: path(bench),
    backtest: path(points.map((p) => p.backtest_equity)),
    min,
    max,
  };
}
