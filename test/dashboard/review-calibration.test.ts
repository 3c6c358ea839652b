import { describe, expect, it } from 'vitest';
import {
  calibrationBars,
  calibrationLayout,
  linearScale,
  ticks,
} from '../../dashboard/src/components/reviews/calibration.ts';
import type { ReviewScorecard } from '../../shared/api/contracts/scorecards.ts';

const hz = (horizon: number, n: number, hit: number | null) => ({
  horizon,
  n,
  hit_rate: hit,
  mean: null,
  adjusted_mean: hit === null ? null : hit - 0.5,
});

const calibration: ReviewScorecard['calibration'] = [
  { low: 0.8, high: 1, n: 4, horizons: [hz(1, 4, 0.75), hz(5, 3, 1)] },
  { low: 0, high: 0.2, n: 0, horizons: [] },
  { low: 0.4, high: 0.6, n: 10, horizons: [hz(1, 10, 0.5), hz(5, 0, null)] },
];

describe('calibrationBars', () => {
  it('orders buckets by confidence and reads the chosen horizon', () => {
    expect(calibrationBars(calibration, 1)).toEqual([
      { low: 0, high: 0.2, n: 0, hitRate: null, meanReturn: null },
      { low: 0.4, high: 0.6, n: 10, hitRate: 0.5, meanReturn: 0 },
      { low: 0.8, high: 1, n: 4, hitRate: 0.75, meanReturn: 0.25 },
    ]);
  });

  it('has no hit rate for a bucket with no call scored at that horizon', () => {
    const bars = calibrationBars(calibration, 5);
    expect(bars[1]).toMatchObject({ n: 0, hitRate: null });
    expect(bars[2]).toMatchObject({ n: 3, hitRate: 1 });
    expect(calibrationBars(calibration, 20).every((b) => b.hitRate === null)).toBe(true);
  });
});

describe('scales', () => {
  it('maps a domain linearly onto a (possibly inverted) range', () => {
    const y = linearScale([0, 1], [200, 10]);
    expect(y(0)).toBe(200);
    expect(y(1)).toBe(10);
    expect(y(0.5)).toBe(105);
  });

  it('maps a degenerate domain to the range start instead of NaN', () => {
    expect(linearScale([3, 3], [0, 100])(3)).toBe(0);
  });

  it('gives evenly spaced ticks without float drift', () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(1, 1, 4)).toEqual([1]);
  });
});

describe('calibrationLayout', () => {
  const size = { width: 250, height: 140 };
  const layout = calibrationLayout(calibrationBars(calibration, 1), 0.5, size);
  const { plot } = layout;

  it('draws the diagonal from (0%, 0%) to (100%, 100%) of the plot', () => {
    expect(layout.diagonal).toEqual({ x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.top });
  });

  it('gives each bar its bucket width (less the gap) and a height proportional to its hit rate', () => {
    const plotW = plot.right - plot.left;
    const plotH = plot.bottom - plot.top;
    const bar = layout.bars[1]!;
    expect(bar.x).toBeCloseTo(plot.left + 0.4 * plotW + 1);
    expect(bar.w).toBeCloseTo(0.2 * plotW - 2);
    expect(bar.h).toBeCloseTo(0.5 * plotH);
    expect(bar.y + bar.h).toBeCloseTo(plot.bottom);
    expect(layout.bars[0]!.h).toBe(0);
  });

  it('puts the baseline at its hit rate, and leaves it out when unknown', () => {
    expect(layout.baselineY).toBeCloseTo((plot.top + plot.bottom) / 2);
    expect(calibrationLayout([], null, size).baselineY).toBeNull();
  });

  it('labels both axes from 0 to 100%', () => {
    expect(layout.xTicks.map((t) => t.value)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(layout.yTicks[0]).toEqual({ value: 0, y: plot.bottom });
    expect(layout.yTicks.at(-1)).toEqual({ value: 1, y: plot.top });
  });
});
