// Reference: TA-Lib 0.6.0-dev BBANDS(20, 2, 2, SMA) via npm talib@2.0.5
// (test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv): the z-score is where the close sits in those bands, z = 2 *
// (close - middle) / (upper - middle). Plus a hand-worked window.
import { describe, expect, it } from 'vitest';
import { flatBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { zscore, zscoreLookback } from './index.ts';

testIndicatorContract({ name: 'zscore(20)', run: (b) => zscore(b.close, 20), lookback: zscoreLookback(20) });

describe.each(TALIB_FIXTURES)('zscore against TA-Lib BBANDS on $name', (fx) => {
  it.skipIf(!fx.available)('equals 2 * (close - middle) / (upper - middle) of BBANDS(20, 2, 2, SMA)', () => {
    const f = fx.load();
    const upper = f.column('BBANDS_20_2_2_SMA_upper');
    const middle = f.column('BBANDS_20_2_2_SMA_middle');
    const z = zscore(f.input.close, 20);
    expect(z.slice(0, 19).every(Number.isNaN)).toBe(true);
    for (let i = 19; i < f.rows; i++) {
      const expected = (2 * (f.input.close[i]! - middle[i]!)) / (upper[i]! - middle[i]!);
      expect(Math.abs(z[i]! - expected), `bar ${i}`).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(expected)),
      );
    }
  });
});

describe('zscore', () => {
  it('divides by the population stddev (worked example)', () => {
    // Window 1, 2, 3: mean 2, population variance (1 + 0 + 1) / 3 = 2/3, z = (3 - 2) / √(2/3) = √1.5 =
    // 1.2247449. Window 2, 3, 1: mean 2, same variance, z = (1 - 2) / √(2/3) = -1.2247449.
    const z = zscore(new Float64Array([1, 2, 3, 1]), 3);
    expect(z[2]).toBeCloseTo(1.2247449, 7);
    expect(z[3]).toBeCloseTo(-1.2247449, 7);
  });

  it('is NaN where the stddev is 0 and about 0 where TA-Lib leaves a rounding residue', () => {
    expect(zscore(new Float64Array(25).fill(1), 20).slice(19).every(Number.isNaN)).toBe(true);
    // mean(x²) - mean² of 100.37 is ~1e-11, above TA-Lib's epsilon: stddev ~3e-6, z ~1e-8.
    const z = zscore(flatBars(25).close, 20);
    expect(z.slice(19).every((v) => Number.isNaN(v) || Math.abs(v) < 1e-6)).toBe(true);
  });
});
