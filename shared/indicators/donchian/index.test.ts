// Reference: Donchian(20) columns computed by the ta library on StockCharts ChartSchool example bars
// (bukosabino/ta test/data/cs-dc.csv and cs-dc2.csv, MIT), copied to test/fixtures/worked/donchian.csv.
// cs-dc.csv uses a window that includes the current bar, as donchian() does (first value at row 19); its
// middle band is rounded to cents. cs-dc2.csv is the same channel with the ta library's offset=1: every
// output one bar later.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { loadWorked } from '../../../test/support/worked-fixture.ts';
import { channelPosition, donchian, donchianLookback } from './index.ts';

testIndicatorContract({
  name: 'donchian(20)',
  run: (b) => ({ ...donchian(b.high, b.low, 20) }),
  lookback: donchianLookback(20),
});

testIndicatorContract({
  name: 'channelPosition(close, donchian(20))',
  run: (b) => {
    const dc = donchian(b.high, b.low, 20);
    return channelPosition(b.close, dc.upper, dc.lower);
  },
  lookback: donchianLookback(20),
});

describe('donchian against the ta library on ChartSchool bars (cs-dc.csv, cs-dc2.csv)', () => {
  const fx = loadWorked('donchian');
  const close = fx.column('close');
  const out = donchian(fx.column('high'), fx.column('low'), 20);
  const position = channelPosition(close, out.upper, out.lower);

  it('equals cs-dc.csv: highest high and lowest low of the 20 bars up to and including today', () => {
    // Row 19 by hand: the highest high of rows 0..19 is 50.65 (row 16), the lowest low 47.79 (row 0).
    expect([out.upper[19], out.lower[19], out.middle[19]]).toEqual([50.65, 47.79, 49.22]);
    const upper = fx.column('upper_band');
    const lower = fx.column('lower_band');
    const middle = fx.column('middle_band');
    for (let i = 0; i < fx.rows; i++) {
      if (i < donchianLookback(20)) {
        expect([out.upper[i], out.lower[i], out.middle[i]].every(Number.isNaN)).toBe(true);
        continue;
      }
      expect(out.upper[i]).toBe(upper[i]);
      expect(out.lower[i]).toBe(lower[i]);
      // The source rounds the middle band to cents.
      expect(Math.abs(out.middle[i]! - middle[i]!)).toBeLessThanOrEqual(0.005 + 1e-12);
    }
  });

  it("gives cs-dc.csv's dc_percentage as the close's channel position", () => {
    // Row 19: (50.23 - 47.79) / (50.65 - 47.79) = 0.8531468531.
    const percentage = fx.column('dc_percentage');
    for (let i = donchianLookback(20); i < fx.rows; i++) expect(position[i]).toBeCloseTo(percentage[i]!, 9);
  });

  it('equals cs-dc2.csv (offset=1) read one bar later', () => {
    const [upper, lower, percentage] = ['upper_band', 'lower_band', 'dc_percentage'].map((c) =>
      fx.column(`dc2_${c}`),
    );
    expect(Number.isNaN(upper![donchianLookback(20)])).toBe(true);
    for (let i = donchianLookback(20) + 1; i < fx.rows; i++) {
      expect(out.upper[i - 1]).toBe(upper![i]);
      expect(out.lower[i - 1]).toBe(lower![i]);
      expect(position[i - 1]).toBeCloseTo(percentage![i]!, 9);
    }
  });
});

describe('channelPosition', () => {
  it('is 0 at the lower line, 1 at the upper, NaN where the channel has no width or is undefined', () => {
    const pos = channelPosition(
      new Float64Array([8, 12, 11, 5, 5]),
      new Float64Array([12, 12, 12, 5, Number.NaN]),
      new Float64Array([8, 8, 10, 5, 4]),
    );
    expect(Array.from(pos)).toEqual([0, 1, 0.5, Number.NaN, Number.NaN]);
  });
});
