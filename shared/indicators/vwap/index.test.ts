// Reference: StockCharts ChartSchool example bars with a 14-bar VWAP computed by the ta library
// (bukosabino/ta test/data/cs-vwap.csv, MIT), copied to test/fixtures/worked/vwap.csv. The ta library sums
// with min_periods=0, so its rows 0..12 are expanding windows of 1..13 bars and rows 13+ full 14-bar windows:
// the same rolling sums as rollingVwap(period = 14) from row 13, and as rollingVwap(period = row + 1) before
// it.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { loadWorked } from '../../../test/support/worked-fixture.ts';
import { rollingVwap, rollingVwapLookback } from './index.ts';

testIndicatorContract({
  name: 'rollingVwap(14)',
  run: (b) => rollingVwap(b.high, b.low, b.close, b.volume, 14),
  lookback: rollingVwapLookback(14),
});

describe('rollingVwap against the ta library on ChartSchool bars (cs-vwap.csv)', () => {
  const fx = loadWorked('vwap');
  const [high, low, close, volume, vwap] = ['High', 'Low', 'Close', 'Volume', 'vwap'].map((c) =>
    fx.column(c),
  ) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

  it('equals the file from row 13, where its 14-bar window is full', () => {
    const out = rollingVwap(high, low, close, volume, 14);
    expect(out.slice(0, 13).every(Number.isNaN)).toBe(true);
    for (let i = 13; i < fx.rows; i++) expect(out[i]).toBeCloseTo(vwap[i]!, 12);
  });

  it("equals the file's partial windows before row 13 with the window shortened to match", () => {
    // Row 0 is the typical price itself: (24.8283 + 24.3205 + 24.7486) / 3 = 24.63247.
    expect(rollingVwap(high, low, close, volume, 1)[0]).toBeCloseTo(24.632466666666662, 12);
    for (let i = 0; i < 13; i++)
      expect(rollingVwap(high, low, close, volume, i + 1)[i]).toBeCloseTo(vwap[i]!, 12);
  });
});

describe('rollingVwap', () => {
  it('is NaN over a window without volume and recovers when volume returns', () => {
    const price = new Float64Array([10, 20, 30, 40, 50]);
    const out = rollingVwap(price, price, price, new Float64Array([1e9, 0, 0, 0, 3]), 2);
    // (10 * 1e9 + 20 * 0) / 1e9 = 10; then two empty windows; then (40 * 0 + 50 * 3) / 3 = 50.
    expect(Array.from(out)).toEqual([Number.NaN, 10, Number.NaN, Number.NaN, 50]);
  });
});
