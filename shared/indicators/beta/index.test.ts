// Reference: a hand-worked example of rolling beta (sample cov(asset, bench) / sample var(bench)) and Pearson
// correlation over 3-bar windows of aligned returns, plus a direct recomputation on random-walk returns.
import { describe, expect, it } from 'vitest';
import { randomWalkBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { rollingBeta, rollingBetaLookback, rollingCorrelation, rollingCorrelationLookback } from './index.ts';

/** Simple returns, NaN on bar 0 (so outputs start one bar after the kernels' own lookback). */
function returns(close: Float64Array): Float64Array {
  return Float64Array.from(close, (c, i) => (i === 0 ? Number.NaN : c / close[i - 1]! - 1));
}

testIndicatorContract({
  name: 'rollingBeta(close returns vs high returns, 20)',
  run: (b) => rollingBeta(returns(b.close), returns(b.high), 20),
  lookback: rollingBetaLookback(20) + 1,
});

testIndicatorContract({
  name: 'rollingCorrelation(close returns, high returns, 20)',
  run: (b) => rollingCorrelation(returns(b.close), returns(b.high), 20),
  lookback: rollingCorrelationLookback(20) + 1,
});

const f64 = (values: number[]) => new Float64Array(values);

describe('rollingBeta and rollingCorrelation, worked example over 3 bars', () => {
  // Returns in percent (beta and correlation do not change with the unit):
  //   asset 2, -1, 3, 0; bench 1, -1, 2, 1.
  // Window 0-2: means 4/3 and 2/3; asset deviations 2/3, -7/3, 5/3; bench 1/3, -5/3, 4/3.
  //   Σ da·db = (2 + 35 + 20) / 9 = 57/9, Σ db² = (1 + 25 + 16) / 9 = 42/9, Σ da² = (4 + 49 + 25) / 9 = 78/9;
  //   beta = 57/42 = 1.3571429 (the n - 1 cancels);
  //   correlation = 57 / √(78 * 42) = 57 / 57.236352 = 0.9958706.
  // Window 1-3: means 2/3 and 2/3; asset deviations -5/3, 7/3, -2/3; bench -5/3, 4/3, 1/3.
  //   Σ da·db = (25 + 28 - 2) / 9 = 51/9, Σ db² = 42/9, Σ da² = 78/9;
  //   beta = 51/42 = 1.2142857, correlation = 51 / 57.236352 = 0.8910421.
  const asset = f64([0.02, -0.01, 0.03, 0]);
  const bench = f64([0.01, -0.01, 0.02, 0.01]);

  it('gives the sample covariance over the benchmark variance', () => {
    const beta = rollingBeta(asset, bench, 3);
    expect(beta.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(beta[2]).toBeCloseTo(57 / 42, 12);
    expect(beta[3]).toBeCloseTo(51 / 42, 12);
  });

  it('gives the Pearson correlation', () => {
    const corr = rollingCorrelation(asset, bench, 3);
    expect(corr[2]).toBeCloseTo(57 / Math.sqrt(78 * 42), 12);
    expect(corr[2]).toBeCloseTo(0.9958706, 7);
    expect(corr[3]).toBeCloseTo(0.8910421, 7);
  });
});

describe('rollingBeta and rollingCorrelation', () => {
  it('are NaN over windows holding a NaN, and recover after it', () => {
    const a = f64([0.01, Number.NaN, 0.02, 0.03, -0.01]);
    const b = f64([0.02, 0.01, 0.01, 0.03, -0.02]);
    expect(Array.from(rollingBeta(a, b, 2), Number.isFinite)).toEqual([false, false, false, true, true]);
    expect(Array.from(rollingCorrelation(a, b, 2), Number.isFinite)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('are NaN on a flat benchmark; correlation also on a flat asset, where beta is 0', () => {
    const moving = f64([0.01, -0.02, 0.03]);
    const flat = f64([0.001, 0.001, 0.001]);
    expect(Number.isNaN(rollingBeta(moving, flat, 3)[2])).toBe(true);
    expect(Number.isNaN(rollingCorrelation(moving, flat, 3)[2])).toBe(true);
    expect(rollingBeta(flat, moving, 3)[2]).toBe(0);
    expect(Number.isNaN(rollingCorrelation(flat, moving, 3)[2])).toBe(true);
  });

  it('reject inputs of different lengths', () => {
    expect(() => rollingBeta(f64([1, 2]), f64([1]), 2)).toThrow(RangeError);
  });

  it('equal a direct sample computation per window on random-walk returns', () => {
    const a = returns(randomWalkBars(300, 1).close);
    const b = returns(randomWalkBars(300, 2).close);
    const beta = rollingBeta(a, b, 20);
    const corr = rollingCorrelation(a, b, 20);
    for (let i = 20; i < a.length; i++) {
      const xs = Array.from(a.subarray(i - 19, i + 1));
      const ys = Array.from(b.subarray(i - 19, i + 1));
      const mx = xs.reduce((s, v) => s + v, 0) / 20;
      const my = ys.reduce((s, v) => s + v, 0) / 20;
      const cov = xs.reduce((s, v, k) => s + (v - mx) * (ys[k]! - my), 0) / 19;
      const vx = xs.reduce((s, v) => s + (v - mx) ** 2, 0) / 19;
      const vy = ys.reduce((s, v) => s + (v - my) ** 2, 0) / 19;
      expect(beta[i]).toBeCloseTo(cov / vy, 12);
      expect(corr[i]).toBeCloseTo(cov / Math.sqrt(vx * vy), 12);
    }
  });
});
