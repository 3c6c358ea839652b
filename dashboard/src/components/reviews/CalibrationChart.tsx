import { formatFractionPct } from '../../lib/format.ts';
import { type CalibrationBar, calibrationLayout } from './calibration.ts';

/**
 * Confidence bucket against hit rate: a well-calibrated reviewer's bars follow the dashed diagonal.
 * A small SVG (no chart dependency); the same numbers are in the table below it for screen readers.
 */
export function CalibrationChart({
  bars,
  baselineHitRate,
  horizon,
}: {
  bars: CalibrationBar[];
  baselineHitRate: number | null;
  horizon: number;
}) {
  const layout = calibrationLayout(bars, baselineHitRate);
  const { plot } = layout;
  return (
    <figure className="calibration">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={`Hit rate by confidence bucket at ${horizon} days`}
      >
        {layout.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line className="axis" x1={plot.left} x2={plot.right} y1={t.y} y2={t.y} />
            <text className="tick" x={plot.left - 4} y={t.y + 3} textAnchor="end">
              {Math.round(t.value * 100)}%
            </text>
          </g>
        ))}
        {layout.xTicks.map((t) => (
          <text key={`x${t.value}`} className="tick" x={t.x} y={plot.bottom + 14} textAnchor="middle">
            {Math.round(t.value * 100)}%
          </text>
        ))}
        <text className="tick" x={(plot.left + plot.right) / 2} y={layout.height - 2} textAnchor="middle">
          confidence
        </text>
        {layout.bars.map((b) =>
          b.hitRate === null ? null : (
            <rect key={b.low} className="bar" x={b.x} y={b.y} width={b.w} height={b.h}>
              <title>
                {`confidence ${formatFractionPct(b.low, 0)}–${formatFractionPct(b.high, 0)}: hit rate ${formatFractionPct(b.hitRate, 0)} (n=${b.n})`}
              </title>
            </rect>
          ),
        )}
        {layout.bars.map((b) => (
          <text key={`n${b.low}`} className="tick" x={b.x + b.w / 2} y={b.y - 3} textAnchor="middle">
            {b.n > 0 ? `n=${b.n}` : ''}
          </text>
        ))}
        <line className="ideal" {...layout.diagonal} />
        {layout.baselineY !== null && (
          <line
            className="baseline"
            x1={plot.left}
            x2={plot.right}
            y1={layout.baselineY}
            y2={layout.baselineY}
          />
        )}
      </svg>
      <figcaption className="legend">
        <span>bars: hit rate of the bucket's calls</span>
        <span>dashed diagonal: hit rate = confidence</span>
        {baselineHitRate !== null && (
          <span className="warn">dotted: signal-only baseline {formatFractionPct(baselineHitRate, 0)}</span>
        )}
      </figcaption>
    </figure>
  );
}
