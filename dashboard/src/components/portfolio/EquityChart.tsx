import { type CurvePoint, curvePaths } from './curves.ts';

const W = 720;
const H = 220;

/** Paper equity against the benchmark (rescaled to the same start) and the same strategy's backtest. */
export function EquityChart({ points }: { points: readonly CurvePoint[] }) {
  const p = curvePaths(points, W, H);
  return (
    <figure className="portfolio-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Equity against the benchmark and the backtest">
        <path
          d={p.benchmark}
          fill="none"
          stroke="var(--muted, #888)"
          strokeWidth={1.5}
          strokeDasharray="4 3"
        />
        <path d={p.backtest} fill="none" stroke="var(--accent-2, #d08a2c)" strokeWidth={1.5} />
        <path d={p.equity} fill="none" stroke="var(--accent, #2c6fd0)" strokeWidth={2} />
      </svg>
      <figcaption>
        <span style={{ color: 'var(--accent, #2c6fd0)' }}>paper equity</span> ·{' '}
        <span style={{ color: 'var(--accent-2, #d08a2c)' }}>backtest, same days</span> ·{' '}
        <span style={{ color: 'var(--muted, #888)' }}>benchmark</span> — {points[0]?.date ?? ''} to{' '}
        {points.at(-1)?.date ?? ''}, {Math.round(p.min).toLocaleString()} to{' '}
        {Math.round(p.max).toLocaleString()}
      </figcaption>
    </figure>
  );
}
