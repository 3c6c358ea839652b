import type { ReviewHorizonStats, ReviewScorecard } from '../../../../shared/api/contracts/scorecards.ts';

/** One confidence bucket at one horizon: its range, how many calls were scored, how many hit. */
export interface CalibrationBar {
  low: number;
  high: number;
  n: number;
  hitRate: number | null;
  meanReturn: number | null;
}

const atHorizon = (horizons: readonly ReviewHorizonStats[], horizon: number) =>
  horizons.find((h) => h.horizon === horizon);

/** The calibration buckets at one horizon, lowest confidence first; `n` counts calls scored at that horizon. */
export function calibrationBars(
  calibration: ReviewScorecard['calibration'],
  horizon: number,
): CalibrationBar[] {
  return [...calibration]
    .sort((a, b) => a.low - b.low)
    .map((b) => {
      const h = atHorizon(b.horizons, horizon);
      return {
        low: b.low,
        high: b.high,
        n: h?.n ?? 0,
        hitRate: h && h.n > 0 ? h.hit_rate : null,
        meanReturn: h && h.n > 0 ? h.adjusted_mean : null,
      };
    });
}

/** A linear map from a domain to a range, as d3's scaleLinear without the dependency. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (x: number) => r0 + (x - d0) * k;
}

/** Evenly spaced ticks from `lo` to `hi` inclusive, `count` intervals, rounded against float drift. */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (count < 1 || hi <= lo) return [lo];
  const step = (hi - lo) / count;
  return Array.from({ length: count + 1 }, (_, i) => Math.round((lo + i * step) * 1e9) / 1e9);
}

/** The chart's geometry, in SVG user units, computed once here so the component only draws. */
export interface CalibrationLayout {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  bars: (CalibrationBar & { x: number; y: number; w: number; h: number })[];
  /** Perfect calibration: hit rate equal to confidence, from (0,0) to (1,1). */
  diagonal: { x1: number; y1: number; x2: number; y2: number };
  /** The signal-only baseline's hit rate at the horizon, null when unknown. */
  baselineY: number | null;
  xTicks: { value: number; x: number }[];
  yTicks: { value: number; y: number }[];
}

/** Lays the buckets out on a 0-1 confidence axis against a 0-1 hit-rate axis. */
export function calibrationLayout(
  bars: readonly CalibrationBar[],
  baselineHitRate: number | null,
  size: { width: number; height: number } = { width: 360, height: 220 },
): CalibrationLayout {
  const plot = { left: 40, right: size.width - 10, top: 10, bottom: size.height - 30 };
  const x = linearScale([0, 1], [plot.left, plot.right]);
  const y = linearScale([0, 1], [plot.bottom, plot.top]);
  const gap = 2;
  return {
    width: size.width,
    height: size.height,
    plot,
    bars: bars.map((b) => {
      const top = y(b.hitRate ?? 0);
      return {
        ...b,
        x: x(b.low) + gap / 2,
        w: Math.max(0, x(b.high) - x(b.low) - gap),
        y: top,
        h: plot.bottom - top,
      };
    }),
    diagonal: { x1: x(0), y1: y(0), x2: x(1), y2: y(1) },
    baselineY: baselineHitRate === null ? null : y(baselineHitRate),
    xTicks: ticks(0, 1, 5).map((value) => ({ value, x: x(value) })),
    yTicks: ticks(0, 1, 4).map((value) => ({ value, y: y(value) })),
  };
}
