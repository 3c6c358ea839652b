// Reference: StockCharts ChartSchool example bars with Keltner(20, 10, 2) columns computed by the ta library
// (bukosabino/ta test/data/cs-kc.csv, MIT), copied to test/fixtures/worked/keltner.csv. The file's columns:
//   middle_band: pandas ewm(span=20, adjust=False) of the close, seeded with the FIRST close (from row 0);
//   atr: Wilder ATR(10) seeded with the mean of true ranges 0..9, true range 0 being high - low (from row 9);
//   upper/lower_band: middle_band ± 2 * atr.
// ChartSchool seeds its EMA(20) with the SMA of the first 20 closes, as TA-Lib's EMA and ours do, and we
// use TA-Lib's ATR (seeded on true ranges 1..10, from row 10). So the channel is built the same way from other
// seeds, and within the file's 30 rows the gap has not converged (0.027 on the last upper band). The test
// therefore checks the exact relation: the same recursions on the same inputs, so the file and we differ by
// each seed gap times its decay, 19/21 a bar for the EMA and 9/10 for the ATR, and by nothing else.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { loadWorked } from '../../../test/support/worked-fixture.ts';
import { atr } from '../atr/index.ts';
import { ema } from '../ema/index.ts';
import { keltner, keltnerLookback } from './index.ts';

testIndicatorContract({
  name: 'keltner(20,10,2)',
  run: (b) => ({ ...keltner(b.high, b.low, b.close) }),
  lookback: keltnerLookback(),
});

describe('keltner against the ChartSchool bars of cs-kc.csv', () => {
  const fx = loadWorked('keltner');
  const high = fx.column('High');
  const low = fx.column('Low');
  const closes = fx.column('Close');
  const fileMiddle = fx.column('middle_band');
  const fileAtr = fx.column('atr');
  const out = keltner(high, low, closes, 20, 10, 2);
  const first = keltnerLookback(20, 10);

  it('starts all three lines at bar 19, when the EMA(20) exists (the ATR(10) exists from bar 10)', () => {
    expect(first).toBe(19);
    for (const line of [out.upper, out.middle, out.lower]) {
      expect(line.slice(0, 19).every(Number.isNaN)).toBe(true);
      expect(line.slice(19).every(Number.isFinite)).toBe(true);
    }
  });

  it('is the SMA-seeded EMA(20) of the close ± 2 * TA-Lib ATR(10)', () => {
    const middle = ema(closes, 20);
    const range = atr(high, low, closes, 10);
    // Seed, by hand: the mean of closes 0..19 (48.16 ... 50.23) is 49.4670.
    let seed = 0;
    for (let i = 0; i < 20; i++) seed += closes[i]!;
    expect(out.middle[19]).toBeCloseTo(seed / 20, 12);
    expect(out.middle[19]).toBeCloseTo(49.467, 4);
    for (let i = first; i < fx.rows; i++) {
      expect(out.middle[i]).toBe(middle[i]);
      expect(out.upper[i]! - out.middle[i]!).toBeCloseTo(2 * range[i]!, 12);
      expect(out.middle[i]! - out.lower[i]!).toBeCloseTo(2 * range[i]!, 12);
    }
  });

  it("differs from the file's middle line only by the EMA seed, decaying by 19/21 a bar", () => {
    // Seed gap at bar 19: 49.4670 (SMA seed) - 49.5103 (file) = -0.04331.
    const gap19 = out.middle[19]! - fileMiddle[19]!;
    expect(gap19).toBeCloseTo(-0.0433137, 6);
    for (let i = first; i < fx.rows; i++) {
      expect(out.middle[i]! - fileMiddle[i]!).toBeCloseTo(gap19 * (19 / 21) ** (i - 19), 12);
    }
  });

  it("differs from the file's ATR(10) only by the seed, decaying by 9/10 a bar", () => {
    // At bar 10 the file has (mean(TR 0..9) * 9 + TR 10) / 10 and TA-Lib mean(TR 1..10); their gap is
    // (mean(TR 0..9) - TR 0) / 10 = (0.5165 - 0.91) / 10 = -0.03935, TR 0 being the file's high - low of bar
    // 0.
    expect(fx.column('true_range')[0]).toBeCloseTo(high[0]! - low[0]!, 12);
    const gap10 = (fileAtr[9]! - (high[0]! - low[0]!)) / 10;
    expect(gap10).toBeCloseTo(-0.03935, 12);
    for (let i = first; i < fx.rows; i++) {
      const ourAtr = (out.upper[i]! - out.lower[i]!) / 4;
      expect(ourAtr - fileAtr[i]!).toBeCloseTo(gap10 * 0.9 ** (i - 10), 12);
    }
  });

  it("equals the file's bands once the two seed gaps are taken out", () => {
    const gap19 = out.middle[19]! - fileMiddle[19]!;
    const gap10 = (fileAtr[9]! - (high[0]! - low[0]!)) / 10;
    const upper = fx.column('upper_band');
    const lower = fx.column('lower_band');
    for (let i = first; i < fx.rows; i++) {
      const middleGap = gap19 * (19 / 21) ** (i - 19);
      const atrGap = gap10 * 0.9 ** (i - 10);
      expect(out.upper[i]! - middleGap - 2 * atrGap).toBeCloseTo(upper[i]!, 10);
      expect(out.lower[i]! - middleGap + 2 * atrGap).toBeCloseTo(lower[i]!, 10);
    }
    // Without that correction the last row is still 0.027 apart: not converged, so no tolerance-only
    // comparison.
    expect(Math.abs(out.upper[29]! - upper[29]!)).toBeGreaterThan(0.02);
  });
});
