import { describe, expect, it } from 'vitest';
import { zscore } from '../../../shared/indicators/zscore/index.ts';
import {
  DEFAULT_SCREENER,
  lastVolumeRatio,
  lastZscore,
  opportunityPool,
} from '../../../shared/portfolio/screener.ts';

const flat = (n: number, v: number) => Array.from({ length: n }, () => v);

describe('screener measures', () => {
  it('z-score: the last 20 closes, today included, population stddev (worked example)', () => {
    // 19 closes of 10 and today 12: mean 10.1, population variance (19 × 0.01 + 3.61) / 20 = 0.19,
    // z = 1.9 / √0.19 = 4.3588989. A sample stddev (÷ 19) would give 4.2485291.
    const close = [...flat(30, 7), ...flat(19, 10), 12];
    expect(lastZscore(close, 20)).toBeCloseTo(4.3588989, 7);
    // The catalogue's zscore_20 on the same bars says the same.
    expect(lastZscore(close, 20)).toBeCloseTo(zscore(Float64Array.from(close), 20).at(-1)!, 12);
    expect(lastZscore(flat(20, 5), 20)).toBeNull();
    expect(lastZscore([1, 2, 3], 20)).toBeNull();
  });

  it('volume ratio: today over the mean of the 20 sessions before it, today excluded', () => {
    // Prior 20 average 100; today 1,000: ratio 10 (today included it would be 1,900 / 20 = 95 → 10.5).
    const volume = [5_000, ...flat(20, 100), 1_000];
    expect(lastVolumeRatio(volume, 20)).toBe(10);
    expect(lastVolumeRatio(flat(20, 100), 20)).toBeNull();
    expect(lastVolumeRatio([...flat(19, 100), Number.NaN, 200], 20)).toBeNull();
    expect(lastVolumeRatio([...flat(20, 0), 200], 20)).toBeNull();
  });
});

describe('opportunityPool', () => {
  const calm = (asset: string, score: number | null = 0) => ({
    asset,
    close: Array.from({ length: 40 }, (_, i) => 100 + (i % 2)),
    volume: flat(40, 1_000),
    score,
  });

  it('takes |z| > 2 or volume ≥ 15% above average, exactly 15% included, 14.99% not', () => {
    const surge = { ...calm('SURGE', 0.1), volume: [...flat(39, 1_000), 1_150] };
    const almost = { ...calm('ALMOST', 0.9), volume: [...flat(39, 1_000), 1_149.9] };
    const drop = { ...calm('DROP', 0.2), close: [...calm('').close.slice(0, 39), 90] };
    const pool = opportunityPool([calm('CALM', 1), surge, almost, drop], DEFAULT_SCREENER);
    expect(pool.map((p) => p.asset)).toEqual(['DROP', 'SURGE']);
    expect(pool[0]!.reasons[0]).toMatch(/\|z-score\| 4\.\d+ > 2/);
    expect(pool[1]!.reasons).toEqual(['volume 15.0% above its 20-day average (≥ 15%)']);
  });

  it('ranks by the chosen measure, assets without a value last, and keeps the top N', () => {
    const inputs = [1_200, 1_500, 1_300].map((v, i) => ({
      ...calm(`V${i}`, i === 1 ? null : i),
      volume: [...flat(39, 1_000), v],
    }));
    expect(
      opportunityPool(inputs, { ...DEFAULT_SCREENER, rankBy: 'volume_ratio' }).map((p) => p.asset),
    ).toEqual(['V1', 'V2', 'V0']);
    expect(opportunityPool(inputs, { ...DEFAULT_SCREENER, topN: 2 }).map((p) => p.asset)).toEqual([
      'V2',
      'V0',
    ]);
    expect(() => opportunityPool(inputs, { ...DEFAULT_SCREENER, window: 1 })).toThrow(/window/);
  });
});
