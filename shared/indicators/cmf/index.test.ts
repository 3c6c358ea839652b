// Reference: StockCharts ChartSchool's Accumulation/Distribution Line worked example (10-Dec-10 to 24-Jan-11)
// as transcribed in bukosabino/ta test/data/cs-accum.csv (MIT), copied to test/fixtures/worked/cmf.csv. CMF's
// sum of money flow volume over a window is the A/D line's change across it, so the 20-bar CMF follows from
// the sheet:
//   CMF(i) = (ADLine(i) - ADLine(i - 20)) / Σ Volume(i-19..i), with ADLine(-1) = 0,
// e.g. row 19 (07-Jan-11): -27144.0058 / 223675.8910 = -0.121354. The sheet's money flow values are rounded
// to 4 decimals, which moves these ratios by < 1e-9.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { loadWorked } from '../../../test/support/worked-fixture.ts';
import { cmf, cmfLookback } from './index.ts';

testIndicatorContract({
  name: 'cmf(20)',
  run: (b) => cmf(b.high, b.low, b.close, b.volume, 20),
  lookback: cmfLookback(20),
});

describe('cmf against the ChartSchool A/D worked example (cs-accum.csv)', () => {
  const fx = loadWorked('cmf');
  const [high, low, close, volume, adLine, multiplier] = [
    'High',
    'Low',
    'Close',
    'Volume',
    'ad_line',
    'mf_multiplier',
  ].map((c) => fx.column(c)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];

  it('equals the A/D line change over 20 bars divided by their volume', () => {
    const out = cmf(high, low, close, volume, 20);
    expect(out.slice(0, 19).every(Number.isNaN)).toBe(true);
    expect(out[19]).toBeCloseTo(-0.121354, 6);
    for (let i = 19; i < fx.rows; i++) {
      let windowVolume = 0;
      for (let j = i - 19; j <= i; j++) windowVolume += volume[j]!;
      const expected = (adLine[i]! - (i >= 20 ? adLine[i - 20]! : 0)) / windowVolume;
      expect(out[i]).toBeCloseTo(expected, 8);
    }
  });

  it("gives the sheet's money flow multiplier over a one-bar window", () => {
    // Row 0: ((62.15 - 61.37) - (62.34 - 62.15)) / (62.34 - 61.37) = 0.6082; the sheet rounds to 4 decimals.
    const out = cmf(high, low, close, volume, 1);
    for (let i = 0; i < fx.rows; i++)
      expect(Math.abs(out[i]! - multiplier[i]!)).toBeLessThanOrEqual(5e-5 + 1e-12);
  });
});

describe('cmf', () => {
  it('counts a bar without range as no money flow, and a window without volume as NaN', () => {
    const high = new Float64Array([12, 10, 12, 12]);
    const low = new Float64Array([10, 10, 10, 10]);
    const close = new Float64Array([12, 10, 11, 11]);
    // Bar 0: multiplier +1, flow 100; bar 1: h == l, flow 0; bars 2-3: mid-range, multiplier 0, volume 0.
    const out = cmf(high, low, close, new Float64Array([100, 300, 0, 0]), 2);
    expect(Array.from(out)).toEqual([Number.NaN, 0.25, 0, Number.NaN]);
  });
});
