// Reference: a direct least-squares fit on real daily closes (TA-Lib's 252-bar regression-test series,
// committed, and SPY 1999-2020 when ../shared/data is present): per 14-bar window, solve the normal equations
// for the OLS line, check its slope and end value against TA-Lib LINEARREG_SLOPE_14 and LINEARREG_14 (npm
// talib@2.0.5, TA-Lib 0.6.0-dev), and take R² = 1 - SS_residual / SS_total, which for a one-regressor fit
// with intercept is the squared Pearson correlation.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { rollingCorrelation } from '../beta/index.ts';
import { linRegR2, linRegR2Lookback } from './index.ts';

testIndicatorContract({
  name: 'linRegR2(20)',
  run: (b) => linRegR2(b.close, 20),
  lookback: linRegR2Lookback(20),
});

/** OLS of y on x = 0..n-1 by the normal equations: slope, intercept and R² = 1 - SSres / SStot. */
function leastSquares(y: ArrayLike<number>): { slope: number; intercept: number; r2: number } {
  const n = y.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let x = 0; x < n; x++) {
    sx += x;
    sy += y[x]!;
    sxx += x * x;
    sxy += x * y[x]!;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const intercept = (sy - slope * sx) / n;
  const mean = sy / n;
  let ssRes = 0;
  let ssTot = 0;
  for (let x = 0; x < n; x++) {
    ssRes += (y[x]! - (intercept + slope * x)) ** 2;
    ssTot += (y[x]! - mean) ** 2;
  }
  return { slope, intercept, r2: 1 - ssRes / ssTot };
}

describe.each(TALIB_FIXTURES)('linRegR2 against a least-squares fit on $name closes', (fx) => {
  it.skipIf(!fx.available)('equals 1 - SSres/SStot of the OLS line TA-Lib LINEARREG(14) fits', () => {
    const f = fx.load();
    const close = f.input.close;
    const talibSlope = f.column('LINEARREG_SLOPE_14');
    const talibEnd = f.column('LINEARREG_14');
    const r2 = linRegR2(close, 14);
    expect(r2.slice(0, 13).every(Number.isNaN)).toBe(true);
    const problems: string[] = [];
    for (let i = 13; i < f.rows; i++) {
      const fit = leastSquares(close.subarray(i - 13, i + 1));
      // The reference fit is TA-Lib's line (its sums lose a few digits at these price levels, hence 1e-6).
      if (Math.abs(fit.slope - talibSlope[i]!) > 1e-6 * Math.max(1, Math.abs(talibSlope[i]!)))
        problems.push(`bar ${i}: slope ${fit.slope} vs TA-Lib ${talibSlope[i]}`);
      if (Math.abs(fit.intercept + 13 * fit.slope - talibEnd[i]!) > 1e-6 * Math.abs(talibEnd[i]!))
        problems.push(`bar ${i}: end ${fit.intercept + 13 * fit.slope} vs TA-Lib ${talibEnd[i]}`);
      if (!(Math.abs(r2[i]! - fit.r2) <= 1e-8))
        problems.push(`bar ${i}: R² ${r2[i]} vs least squares ${fit.r2}`);
    }
    expect(problems.slice(0, 5), `${problems.length} mismatching bars`).toEqual([]);
  });
});

describe('linRegR2', () => {
  it('is the squared correlation with the bar index (worked example)', () => {
    // Window 1, 3, 2 at x = 0, 1, 2: means 1 and 2; Σdx·dy = (-1)(-1) + 0 + (1)(0) = 1, Σdx² = 2, Σdy² = 2;
    // R² = 1² / (2 * 2) = 0.25. Window 3, 2, 5: Σdx·dy = (-1)(-1/3) + 0 + (1)(5/3) = 2, Σdy² = 14/3; R² = 4 /
    // (2 * 14/3) = 3/7.
    const out = linRegR2(new Float64Array([1, 3, 2, 5]), 3);
    expect(out[2]).toBeCloseTo(0.25, 12);
    expect(out[3]).toBeCloseTo(3 / 7, 12);
    expect(linRegR2(new Float64Array([1, 2, 3, 4]), 4)[3]).toBeCloseTo(1, 12);
  });

  it('is NaN on a flat window, even at a price whose mean does not round-trip', () => {
    const out = linRegR2(new Float64Array([100.37, 100.37, 100.37, 100.37, 101]), 4);
    expect(Number.isNaN(out[3])).toBe(true);
    // Window 100.37 x3, 101 has the R² of 0, 0, 0, 1: Σdx·dy = 1.5, Σdx² = 5, Σdy² = 0.75; R² = 2.25 / 3.75 =
    // 0.6.
    expect(out[4]).toBeCloseTo(0.6, 12);
  });

  it('equals the square of rollingCorrelation against the bar index', () => {
    const close = TALIB_FIXTURES[0]!.load().input.close;
    const index = Float64Array.from(close, (_, i) => i);
    const corr = rollingCorrelation(close, index, 30);
    const r2 = linRegR2(close, 30);
    for (let i = 29; i < close.length; i++) expect(r2[i]).toBeCloseTo(corr[i]! ** 2, 12);
  });
});
