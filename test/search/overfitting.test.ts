import { describe, expect, it } from 'vitest';
import { createRng } from '../../shared/providers/demo/generate.ts';
import {
  deflatedSharpe,
  expectedMaxNormal,
  noiseSharpe,
  probabilityOfOverfitting,
} from '../../shared/search/overfitting.ts';

// Reference values: Bailey & López de Prado 2014, "The Deflated Sharpe Ratio" (../shared/REFERENCES.md P5, P6).
describe('expected maximum of N standard normals (P6)', () => {
  it.each([
    [10, 1.575],
    [100, 2.531],
    [1000, 3.255],
  ])('N = %i gives %f', (n, expected) => {
    expect(expectedMaxNormal(n)).toBeCloseTo(expected, 3);
  });

  it('one trial has nothing to deflate', () => {
    expect(expectedMaxNormal(1)).toBe(0);
  });
});

describe('deflated Sharpe ratio (P5 worked example)', () => {
  // N = 100 trials, annualised SR 2.5 over 1,250 days (250 a year), V[annualised SR] = 0.5, γ3 = −3, γ4 = 10.
  const perDayVariance = 0.5 / 250;
  it('E[max Z] = 2.5306 and SR0 = 0.113172 per day', () => {
    expect(expectedMaxNormal(100)).toBeCloseTo(2.5306, 4);
    expect(noiseSharpe(100, perDayVariance)).toBeCloseTo(0.113172, 6);
  });

  it('DSR = 0.90040', () => {
    const dsr = deflatedSharpe({
      sharpe: 2.5 / Math.sqrt(250),
      periods: 1250,
      skewness: -3,
      kurtosis: 10,
      trials: 100,
      sharpeVariance: perDayVariance,
    });
    expect(dsr).toBeCloseTo(0.9004, 4);
  });

  it('more trials deflate more', () => {
    const at = (trials: number) =>
      deflatedSharpe({ sharpe: 0.1, periods: 250, skewness: 0, kurtosis: 3, trials, sharpeVariance: 0.002 });
    expect(at(10)).toBeGreaterThan(at(100));
    expect(at(100)).toBeGreaterThan(at(1000));
  });
});

function noiseColumns(seed: string, trials: number, periods: number, sd = 0.01): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: trials }, () =>
    Float64Array.from({ length: periods }, () => sd * rng.normal()),
  );
}

describe('probability of backtest overfitting (CSCV)', () => {
  it('is near 0.5 on pure noise', () => {
    const pbos = ['a', 'b', 'c', 'd'].map(
      (s) => probabilityOfOverfitting(noiseColumns(`pbo-noise-${s}`, 50, 1000), 16).pbo,
    );
    const mean = pbos.reduce((x, y) => x + y, 0) / pbos.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
  });

  it('is near 0 when one trial has a real edge', () => {
    const columns = noiseColumns('pbo-edge', 50, 1000);
    // Daily Sharpe 0.3 (annualised ≈ 4.8): wins every half of the sample in and out.
    columns[17] = columns[17]!.map((r) => r + 0.003);
    const { pbo, logits } = probabilityOfOverfitting(columns, 16);
    expect(logits.length).toBe(12870);
    expect(pbo).toBeLessThan(0.02);
  });

  it('refuses an odd number of blocks or a single trial', () => {
    expect(() => probabilityOfOverfitting(noiseColumns('x', 4, 100), 5)).toThrow(/even/);
    expect(() => probabilityOfOverfitting(noiseColumns('x', 1, 100), 4)).toThrow(/2 trials/);
    expect(() => probabilityOfOverfitting(noiseColumns('x', 4, 6), 4)).toThrow(/2 periods/);
  });
});
