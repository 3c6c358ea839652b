// References: hand-worked examples of each estimator's definition, with √252 annualisation:
//   close-to-close: sample standard deviation of log returns (the usual realised volatility);
//   M. Parkinson, "The Extreme Value Method for Estimating the Variance of the Rate of Return",
//     Journal of Business 53(1), 1980, 61-65: σ² = Σ ln(h/l)² / (4 ln2 · n);
//   M. B. Garman and M. J. Klass, "On the Estimation of Security Price Volatilities from Historical Data",
//     Journal of Business 53(1), 1980, 67-78, simplified form:
//     σ² = (1/n) Σ [0.5 ln(h/l)² - (2 ln2 - 1) ln(c/o)²].
// Plus a direct per-window recomputation on 400 random-walk bars, which the kernels' running sums must equal.
import { describe, expect, it } from 'vitest';
import { randomWalkBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import {
  garmanKlass,
  garmanKlassLookback,
  parkinson,
  parkinsonLookback,
  realizedVol,
  realizedVolLookback,
} from './index.ts';

testIndicatorContract({
  name: 'realizedVol(20, 252)',
  run: (b) => realizedVol(b.close, 20, 252),
  lookback: realizedVolLookback(20),
});

testIndicatorContract({
  name: 'parkinson(20, 252)',
  run: (b) => parkinson(b.high, b.low, 20, 252),
  lookback: parkinsonLookback(20),
});

testIndicatorContract({
  name: 'garmanKlass(20, 252)',
  run: (b) => garmanKlass(b.open, b.high, b.low, b.close, 20, 252),
  lookback: garmanKlassLookback(20),
});

const f64 = (values: number[]) => new Float64Array(values);
const ROOT_252 = Math.sqrt(252);

describe('realizedVol', () => {
  it('annualises the sample stddev of log returns (worked example)', () => {
    // Closes 100, 110, 99, 108.9, 108.9: log returns ln 1.1, ln 0.9, ln 1.1, 0. Over 2 returns the sample
    // stddev is
    // |r1 - r2| / √2: bars 2 and 3: (0.0953102 + 0.1053605) / √2 = 0.1418956, * √252 = 2.2525230;
    // bar 4: ln 1.1 / √2 = 0.0673945, * √252 = 1.0698541.
    const out = realizedVol(f64([100, 110, 99, 108.9, 108.9]), 2, 252);
    expect(out.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(out[2]).toBeCloseTo(2.252523, 6);
    expect(out[3]).toBeCloseTo(2.252523, 6);
    expect(out[4]).toBeCloseTo(1.069854, 6);
  });

  it('is NaN, not Infinity, over windows touching a non-positive price', () => {
    const out = realizedVol(f64([100, 0, 100, 101, 102, -1, 103]), 2, 252);
    // Returns 1 and 2 and returns 5 and 6 are undefined; only the window of returns 3-4 is valid.
    expect(Array.from(out, Number.isFinite)).toEqual([false, false, false, false, true, false, false]);
    expect(out.some((v) => Math.abs(v) === Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('equals a direct two-pass sample stddev per window', () => {
    const { close } = randomWalkBars(400, 3);
    const out = realizedVol(close, 20, 252);
    for (let i = 20; i < close.length; i++) {
      const r = Array.from({ length: 20 }, (_, k) => Math.log(close[i - 19 + k]! / close[i - 20 + k]!));
      const mean = r.reduce((a, b) => a + b, 0) / 20;
      const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / 19;
      expect(out[i]).toBeCloseTo(Math.sqrt(variance * 252), 12);
    }
  });
});

describe('parkinson', () => {
  it('scales the mean squared log range by 1 / (4 ln2) (worked example)', () => {
    // ln(h/l) = 0.02, 0.04, 0.01. Bar 1: (0.0004 + 0.0016) / (4 ln2 * 2) = 0.000360674, √ = 0.0189914,
    // * √252 = 0.3014793. Bar 2: (0.0016 + 0.0001) / (8 ln2) = 0.000306573, annualised 0.2779502.
    const low = f64([100, 100, 100]);
    const high = f64([100 * Math.exp(0.02), 100 * Math.exp(0.04), 100 * Math.exp(0.01)]);
    const out = parkinson(high, low, 2, 252);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[1]).toBeCloseTo(0.3014793, 7);
    expect(out[1]).toBeCloseTo(Math.sqrt(0.002 / (8 * Math.LN2)) * ROOT_252, 12);
    expect(out[2]).toBeCloseTo(0.2779502, 7);
  });

  it('is NaN, not Infinity, on a non-positive low', () => {
    const out = parkinson(f64([10, 11, 12]), f64([9, 0, 11]), 1, 252);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(Number.isFinite(out[0]) && Number.isFinite(out[2])).toBe(true);
  });

  it('equals a direct per-window sum', () => {
    const { high, low } = randomWalkBars(400, 5);
    const out = parkinson(high, low, 20, 252);
    for (let i = 19; i < high.length; i++) {
      let sum = 0;
      for (let j = i - 19; j <= i; j++) sum += Math.log(high[j]! / low[j]!) ** 2;
      expect(out[i]).toBeCloseTo(Math.sqrt((sum / (4 * Math.LN2 * 20)) * 252), 12);
    }
  });
});

describe('garmanKlass', () => {
  it('combines the log range and the log body (worked example)', () => {
    // 2 ln2 - 1 = 0.3862944. Bar 0: ln(h/l) = 0.04, ln(c/o) = 0.01: 0.5 * 0.0016 - 0.3862944 * 0.0001 =
    // 0.000761371. Bar 1 (opens at the high, closes at the low): ln(h/l) = 0.02, ln(c/o) = -0.02: 0.0002 -
    // 0.000154518 = 0.0000454823. Mean 0.000403426, √ = 0.0200855, * √252 = 0.3188471.
    const e = (x: number) => 100 * Math.exp(x);
    const out = garmanKlass(
      f64([e(0.01), e(0.02)]),
      f64([e(0.04), e(0.02)]),
      f64([100, 100]),
      f64([e(0.02), 100]),
      2,
      252,
    );
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[1]).toBeCloseTo(0.3188471, 7);
  });

  it('is NaN, not Infinity, on a non-positive open', () => {
    const out = garmanKlass(f64([0, 10]), f64([11, 11]), f64([9, 9]), f64([10, 10]), 1, 252);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(Number.isFinite(out[1])).toBe(true);
  });

  it('equals a direct per-window mean', () => {
    const { open, high, low, close } = randomWalkBars(400, 9);
    const out = garmanKlass(open, high, low, close, 20, 252);
    const k = 2 * Math.LN2 - 1;
    for (let i = 19; i < close.length; i++) {
      let sum = 0;
      for (let j = i - 19; j <= i; j++) {
        sum += 0.5 * Math.log(high[j]! / low[j]!) ** 2 - k * Math.log(close[j]! / open[j]!) ** 2;
      }
      expect(out[i]).toBeCloseTo(Math.sqrt((sum / 20) * 252), 12);
    }
  });

  it('rejects a non-positive annualisation factor', () => {
    expect(() => garmanKlass(f64([1]), f64([1]), f64([1]), f64([1]), 1, 0)).toThrow(RangeError);
  });
});
