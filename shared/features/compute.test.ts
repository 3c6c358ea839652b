import { describe, expect, it } from 'vitest';
import { flatBars, type Ohlcv, randomWalkBars } from '../../test/support/indicator-contract.ts';
import type { BarSeries } from '../domain/market.ts';
import { ASSET_FEATURE_NAMES, FEATURES } from './catalogue.ts';
import { computeFeatures } from './compute.ts';

const EQUITY = { periodsPerYear: 252 };

function series(bars: Ohlcv): BarSeries {
  const dates = Array.from({ length: bars.close.length }, (_, i) =>
    new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
  );
  return { dates, ...bars };
}

/** close = 100 + i, high = close + 1, low = close - 1, volume = 1000 * (i + 1): easy to check by hand. */
function linearBars(length: number): BarSeries {
  const bars = flatBars(length);
  for (let i = 0; i < length; i++) {
    bars.close[i] = 100 + i;
    bars.open[i] = 100 + i;
    bars.high[i] = 101 + i;
    bars.low[i] = 99 + i;
    bars.volume[i] = 1000 * (i + 1);
  }
  return series(bars);
}

const hasInfinity = (a: Float64Array) =>
  a.some((v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY);

describe('computeFeatures', () => {
  it('produces every asset-scoped catalogue feature, aligned with the dates', () => {
    const bars = series(randomWalkBars(300));
    const out = computeFeatures(bars, EQUITY);
    expect(Object.keys(out).sort()).toEqual([...ASSET_FEATURE_NAMES].sort());
    for (const name of ASSET_FEATURE_NAMES) expect(out[name].length, name).toBe(300);
  });

  it('starts each feature exactly at its catalogue lookback and keeps it finite after', () => {
    const benchmark = series(randomWalkBars(400, 7));
    const out = computeFeatures(series(randomWalkBars(400)), { ...EQUITY, benchmark });
    for (const f of FEATURES.filter((d) => d.scope !== 'universe')) {
      const values = out[f.name as keyof typeof out];
      expect(values.findIndex(Number.isFinite), `${f.name}: first value`).toBe(f.lookback);
      expect(values.slice(f.lookback).every(Number.isFinite), `${f.name}: finite after lookback`).toBe(true);
    }
  });

  it.each<[string, Ohlcv]>([
    ['flat prices', flatBars(300)],
    ['zero volume', { ...randomWalkBars(300), volume: new Float64Array(300) }],
    ['flat prices and zero volume', flatBars(300, 100.37, 0)],
    ['a single bar', randomWalkBars(1)],
    ['no bars', randomWalkBars(0)],
  ])('never returns ±Infinity on %s', (_, bars) => {
    const out = computeFeatures(series(bars), EQUITY);
    for (const name of ASSET_FEATURE_NAMES) expect(hasInfinity(out[name]), name).toBe(false);
  });

  it('leaves band position undefined and width 0 when the bands collapse on flat prices', () => {
    const out = computeFeatures(series(flatBars(30)), EQUITY);
    expect(out.bb_pctb_20[29]).toBeNaN();
    expect(out.bb_width_20[29]).toBe(0);
    expect(out.vol_20[29]).toBe(0);
  });

  it('treats bands that only rounding keeps apart as collapsed, even after a long history', () => {
    const walk = randomWalkBars(400);
    const bars = flatBars(430);
    for (const key of ['open', 'high', 'low', 'close', 'volume'] as const) bars[key].set(walk[key]);
    const out = computeFeatures(series(bars), EQUITY);
    expect(out.bb_pctb_20[429]).toBeNaN();
    expect(out.bb_width_20[429]).toBe(0);
  });

  it('leaves relative volume undefined when the previous 20 bars traded nothing', () => {
    const bars = randomWalkBars(30);
    bars.volume.fill(0, 0, 29);
    bars.volume[29] = 5000;
    expect(computeFeatures(series(bars), EQUITY).rvol_20[29]).toBeNaN();
  });

  it('rejects a non-positive periodsPerYear', () => {
    expect(() => computeFeatures(series(randomWalkBars(5)), { periodsPerYear: 0 })).toThrow(RangeError);
  });
});

describe('computeFeatures on a hand-computed series (close = 100 + i)', () => {
  const out = computeFeatures(linearBars(260), EQUITY);
  // Population stddev of 20 consecutive integers: sqrt((20² - 1) / 12).
  const sd20 = Math.sqrt(399 / 12);

  it.each<[string, number, number]>([
    ['ret_1', 10, 110 / 109 - 1],
    ['ret_5', 10, 110 / 105 - 1],
    ['ret_20', 20, 120 / 100 - 1],
    ['ret_60', 60, 160 / 100 - 1],
    ['log_ret_1', 10, Math.log(110 / 109)],
    // sma_20 at bar 19 is the mean of 100..119 = 109.5.
    ['dist_sma_20', 19, 119 / 109.5 - 1],
    // sma_50 at bar 49: mean of 100..149 = 124.5.
    ['dist_sma_50', 49, 149 / 124.5 - 1],
    ['bb_pctb_20', 19, (119 - (109.5 - 2 * sd20)) / (4 * sd20)],
    ['bb_width_20', 19, (4 * sd20) / 109.5],
    // Volume 21000 against the mean of 1000..20000 = 10500.
    ['rvol_20', 20, 2],
    // mean((100 + i) * 1000 * (i + 1)) for i = 0..19 = 23,660,000 / 20.
    ['dollar_vol_20', 19, 1_183_000],
    // Bars 0..19 before bar 20: highest high 101 + 19, lowest low 99.
    ['prior_high_20', 20, 120],
    ['prior_low_20', 20, 99],
    // 252 bars 8..259: highest high 360, lowest low 107.
    ['dist_high_252', 259, 359 / 360 - 1],
    ['dist_low_252', 259, 359 / 107 - 1],
    // At bar 251 the window is 0..251 and the close (351) is one below the high (352).
    ['dist_high_252', 251, 351 / 352 - 1],
  ])('%s at bar %i', (name, bar, expected) => {
    expect(out[name as keyof typeof out][bar]).toBeCloseTo(expected, 12);
  });

  it('computes prior_high_20 from the bars before today only', () => {
    // Today's high (121 at bar 20) is excluded: yesterday's close of 119 + 1 is the prior high.
    expect(out.prior_high_20[20]).toBe(120);
    expect(out.prior_high_20[19]).toBeNaN();
  });

  it('annualises the sample stddev of 20 log returns for vol_20', () => {
    // Closes alternating 100, 110: log returns alternate ±ln(1.1), mean 0, so the sample variance of 20 of
    // them is 20 ln(1.1)² / 19.
    const bars = flatBars(40);
    for (let i = 0; i < 40; i++) {
      const c = i % 2 === 0 ? 100 : 110;
      bars.open[i] = c;
      bars.high[i] = c;
      bars.low[i] = c;
      bars.close[i] = c;
    }
    const a = Math.log(1.1);
    const crypto = computeFeatures(series(bars), { periodsPerYear: 365 });
    expect(crypto.vol_20[19]).toBeNaN();
    expect(crypto.vol_20[20]).toBeCloseTo(a * Math.sqrt(20 / 19) * Math.sqrt(365), 12);
    expect(crypto.vol_20[39]).toBeCloseTo(a * Math.sqrt(20 / 19) * Math.sqrt(365), 12);
  });
});

describe('computeFeatures from a day on (a daily run)', () => {
  /** 700 bars with a flat stretch longer than every window, so runs of equal closes cross the cuts. */
  function dailyBars(): BarSeries {
    const bars = series(randomWalkBars(700, 7));
    for (let i = 300; i < 330; i++) {
      for (const field of ['open', 'high', 'low', 'close'] as const) bars[field][i] = bars.close[299]!;
    }
    return bars;
  }

  /** The benchmark misses every 37th date (NaN returns inside the windows) and has one of its own. */
  function benchmark(dates: readonly string[]): BarSeries {
    const walk = series(randomWalkBars(dates.length, 11));
    const keep = dates.map((_, i) => i % 37 !== 5);
    const pick = (a: Float64Array) => a.filter((_, i) => keep[i]);
    return {
      dates: ['2019-12-31', ...dates.filter((_, i) => keep[i])],
      open: Float64Array.of(100, ...pick(walk.open)),
      high: Float64Array.of(101, ...pick(walk.high)),
      low: Float64Array.of(99, ...pick(walk.low)),
      close: Float64Array.of(100, ...pick(walk.close)),
      volume: Float64Array.of(1000, ...pick(walk.volume)),
    };
  }

  const prefix = (bars: BarSeries, end: number): BarSeries => ({
    dates: bars.dates.slice(0, end),
    open: bars.open.slice(0, end),
    high: bars.high.slice(0, end),
    low: bars.low.slice(0, end),
    close: bars.close.slice(0, end),
    volume: bars.volume.slice(0, end),
  });

  it('gives every feature the whole series’ values bit for bit on each day it computes, over many cuts', () => {
    const bars = dailyBars();
    const opts = { ...EQUITY, benchmark: benchmark(bars.dates) };
    const whole = computeFeatures(bars, opts);
    // Cuts around every window length, inside and after the flat stretch, and the last bar.
    const cuts = [1, 2, 13, 14, 19, 20, 21, 25, 26, 51, 52, 55, 59, 60, 61, 100, 251, 252, 253, 299, 300];
    for (let day = 305; day < 340; day += 3) cuts.push(day);
    cuts.push(400, 517, 698, 699);
    let compared = 0;
    for (const day of cuts) {
      // A one-day run on `day` (the history up to it) and a range run from `day` to the end.
      const oneDay = computeFeatures(prefix(bars, day + 1), opts, day);
      const range = computeFeatures(bars, opts, day);
      for (const name of ASSET_FEATURE_NAMES) {
        expect(Object.is(oneDay[name][day], whole[name][day]), `${name} on day ${day} (one-day run)`).toBe(
          true,
        );
        for (let i = day; i < bars.close.length; i++) {
          if (!Object.is(range[name][i], whole[name][i])) {
            expect.fail(`${name} at bar ${i} from ${day}: ${range[name][i]} != ${whole[name][i]}`);
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(ASSET_FEATURE_NAMES.length * 10_000);
  });

  it('skips the windows before the day only: a window-local feature reads NaN there', () => {
    const bars = dailyBars();
    const out = computeFeatures(bars, EQUITY, 600);
    expect(out.linreg_r2_20[500]).toBeNaN();
    expect(out.linreg_r2_20[600]).toBe(computeFeatures(bars, EQUITY).linreg_r2_20[600]);
    // Running and recursive kernels still run from the first bar.
    expect(out.ema_200[500]).toBe(computeFeatures(bars, EQUITY).ema_200[500]);
  });
});
