import { describe, expect, it } from 'vitest';
import { type RankedAsset, targetWeights } from '../../../shared/portfolio/targets/index.ts';

let seed = 11;
const rnd = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647 - 0.5;
};

/** Daily returns with a chosen scale per asset (uniform noise: stddev = scale / √12). */
function returnsFor(scales: Record<string, number>, days = 250): Record<string, Float64Array> {
  return Object.fromEntries(
    Object.entries(scales).map(([a, s]) => [a, Float64Array.from({ length: days }, () => rnd() * s)]),
  );
}

const ranked = (scores: Record<string, number | null>): RankedAsset[] =>
  Object.entries(scores).map(([asset, score]) => ({ asset, score }));

const weightOf = (r: { weights: { asset: string; weight: number }[] }, a: string) =>
  r.weights.find((w) => w.asset === a)?.weight;

describe('targetWeights', () => {
  it('equal weight of the top N by score, unscored assets never selected, ties by asset id', () => {
    const r = targetWeights(ranked({ A: 0.1, B: 0.9, C: null, D: 0.5, E: 0.5 }), 'equal', { topN: 3 });
    expect(r.weights).toEqual([
      { asset: 'B', weight: 1 / 3 },
      { asset: 'D', weight: 1 / 3 },
      { asset: 'E', weight: 1 / 3 },
    ]);
    expect(r.cash).toBe(0);
    expect(r.fallback).toBeUndefined();
  });

  it('selects only scores above minScore; none left is an all-cash book that says why', () => {
    const r = targetWeights(ranked({ A: 0.1, B: 0.2 }), 'equal', { topN: 5, minScore: 0.15 });
    expect(r.weights.map((w) => w.asset)).toEqual(['B']);
    const none = targetWeights(ranked({ A: 0.1 }), 'min_variance', { topN: 5, minScore: 0.5 });
    expect(none).toMatchObject({ weights: [], cash: 1 });
    expect(none.fallback).toMatch(/no asset/);
  });

  it('falls back to equal weight with the reason when cap × N < 1, for every method', () => {
    for (const method of ['equal', 'inverse_vol', 'min_variance', 'vol_target'] as const) {
      const r = targetWeights(ranked({ A: 3, B: 2, C: 1 }), method, { topN: 3, maxWeight: 0.3 });
      expect(r.method).toBe('equal');
      expect(r.fallback).toMatch(/infeasible: 3 positions × cap 0.3 < 1/);
      expect(r.weights.every((w) => w.weight === 1 / 3)).toBe(true);
    }
  });

  it('inverse volatility: weights ∝ 1/σ, and the cap water-fills the rest', () => {
    // σ_A = 2σ_B: w_A = 1/3, w_B = 2/3 (population stddevs of the generated returns).
    const base = Float64Array.from({ length: 100 }, () => rnd());
    const returns = { A: base.map((v) => 2 * v), B: base.map((v) => v) };
    const r = targetWeights(ranked({ A: 1, B: 0.5 }), 'inverse_vol', { topN: 2, returns });
    expect(weightOf(r, 'A')).toBeCloseTo(1 / 3, 12);
    expect(weightOf(r, 'B')).toBeCloseTo(2 / 3, 12);
    const three = { ...returns, C: base.map((v) => 4 * v) };
    // Uncapped 4:2:1 over 7 puts B at 4/7 > 0.5: B takes the cap, A and C share 0.5 as 2:1.
    const capped = targetWeights(ranked({ A: 1, B: 0.5, C: 0.2 }), 'inverse_vol', {
      topN: 3,
      maxWeight: 0.5,
      returns: three,
    });
    expect(weightOf(capped, 'B')).toBeCloseTo(0.5, 12);
    expect(weightOf(capped, 'A')).toBeCloseTo(1 / 3, 12);
    expect(weightOf(capped, 'C')).toBeCloseTo(1 / 6, 12);
  });

  it('inverse volatility without returns for an asset falls back to equal weight naming it', () => {
    const returns = returnsFor({ A: 0.01, B: 0.02 }, 19);
    const r = targetWeights(ranked({ A: 1, B: 0.5 }), 'inverse_vol', {
      topN: 2,
      returns: { A: returnsFor({ A: 0.01 }, 30).A! },
    });
    expect(r).toMatchObject({ method: 'equal', fallback: expect.stringMatching(/no volatility for B/) });
    // 19 days are not enough for a volatility either.
    expect(targetWeights(ranked({ A: 1, B: 0.5 }), 'inverse_vol', { topN: 2, returns }).fallback).toMatch(
      /no volatility for A \(fewer than 20 days/,
    );
  });

  it('minimum variance: long only, capped, fully invested, less volatile than equal weight', () => {
    const returns = returnsFor({ A: 0.01, B: 0.02, C: 0.04, D: 0.08, E: 0.03 });
    const scores = ranked({ A: 5, B: 4, C: 3, D: 2, E: 1 });
    const r = targetWeights(scores, 'min_variance', { topN: 5, maxWeight: 0.4, returns });
    expect(r.method).toBe('min_variance');
    expect(r.fallback).toBeUndefined();
    expect(r.weights.reduce((s, w) => s + w.weight, 0)).toBeCloseTo(1, 12);
    expect(r.weights.every((w) => w.weight >= 0 && w.weight <= 0.4 + 1e-12)).toBe(true);
    expect(weightOf(r, 'A')).toBeCloseTo(0.4, 9);
    expect(r.shrinkage).toBeGreaterThan(0);
    const eq = targetWeights(scores, 'equal', { topN: 5 });
    const eqVol = Math.sqrt(
      252 *
        eq.weights.reduce((s, w) => {
          const x = returns[w.asset]!;
          const m = x.reduce((a, v) => a + v, 0) / x.length;
          return s + w.weight ** 2 * (x.reduce((a, v) => a + (v - m) ** 2, 0) / x.length);
        }, 0),
    );
    // Independent noise: the equal book's variance is close to Σ w² σ², the optimizer's must be lower.
    expect(r.volatility!).toBeLessThan(eqVol);
  });

  it('minimum variance with too little history falls back to equal weight and says so', () => {
    const returns = returnsFor({ A: 0.01, B: 0.02 }, 10);
    const r = targetWeights(ranked({ A: 1, B: 2 }), 'min_variance', { topN: 2, returns });
    expect(r).toMatchObject({ method: 'equal', fallback: expect.stringMatching(/fewer than 20 days/) });
    // 250 days each, but their gaps leave only 10 days where both have a return.
    const gappy = returnsFor({ A: 0.01, B: 0.02 });
    for (let t = 0; t < 240; t++) (t % 2 === 0 ? gappy.A! : gappy.B!)[t] = Number.NaN;
    expect(
      targetWeights(ranked({ A: 1, B: 2 }), 'min_variance', { topN: 2, returns: gappy }).fallback,
    ).toMatch(/fewer than 20 days of common history/);
  });

  it('the turnover penalty keeps the book nearer the current weights', () => {
    const returns = returnsFor({ A: 0.01, B: 0.02, C: 0.03 });
    const scores = ranked({ A: 3, B: 2, C: 1 });
    const current = { A: 0, B: 0, C: 1 };
    const free = targetWeights(scores, 'min_variance', { topN: 3, returns });
    const sticky = targetWeights(scores, 'min_variance', { topN: 3, returns, current, turnoverPenalty: 2 });
    expect(weightOf(sticky, 'C')!).toBeGreaterThan(weightOf(free, 'C')! + 0.05);
  });

  it('vol target: the most score whose volatility is the target', () => {
    const returns = returnsFor({ A: 0.01, B: 0.02, C: 0.04, D: 0.06 });
    // D has the best score and the most volatility: a higher target tilts towards it.
    const scores = ranked({ A: 0.1, B: 0.2, C: 0.3, D: 0.9 });
    const low = targetWeights(scores, 'min_variance', { topN: 4, returns });
    const target = low.volatility! * 1.5;
    const r = targetWeights(scores, 'vol_target', { topN: 4, returns, targetVol: target });
    expect(r.method).toBe('vol_target');
    expect(r.volatility!).toBeCloseTo(target, 5);
    expect(r.cash).toBe(0);
    expect(weightOf(r, 'D')!).toBeGreaterThan(weightOf(low, 'D')!);
  });

  it('vol target below the minimum-variance volatility holds that book scaled down, the rest in cash', () => {
    const returns = returnsFor({ A: 0.01, B: 0.02, C: 0.04 });
    const scores = ranked({ A: 0.1, B: 0.2, C: 0.3 });
    const mv = targetWeights(scores, 'min_variance', { topN: 3, returns });
    const r = targetWeights(scores, 'vol_target', { topN: 3, returns, targetVol: mv.volatility! / 2 });
    expect(r.volatility!).toBeCloseTo(mv.volatility! / 2, 12);
    expect(r.cash).toBeCloseTo(0.5, 12);
    for (const w of mv.weights) expect(weightOf(r, w.asset)).toBeCloseTo(w.weight / 2, 12);
  });

  it('vol target above what the score-greedy book reaches holds that book, within the caps despite tied scores', () => {
    const returns = returnsFor({ A: 0.01, B: 0.011, C: 0.012, D: 0.013, E: 0.014 });
    const scores = ranked({ A: 1, B: 0.5, C: 0.5, D: 0.2, E: 0.1 });
    const r = targetWeights(scores, 'vol_target', { topN: 5, maxWeight: 0.4, returns, targetVol: 5 });
    expect(r.method).toBe('vol_target');
    expect(r.fallback).toBeUndefined();
    expect(r.weights.reduce((s, w) => s + w.weight, 0)).toBeCloseTo(1, 9);
    expect(r.weights.every((w) => w.weight <= 0.4 + 1e-9)).toBe(true);
    // The best takes the cap; the tied pair behind it shares the rest (at κ this large the variance term
    // only breaks their tie slightly).
    expect(weightOf(r, 'A')).toBeCloseTo(0.4, 6);
    expect(weightOf(r, 'B')! + weightOf(r, 'C')!).toBeCloseTo(0.6, 6);
    expect(weightOf(r, 'D')).toBeCloseTo(0, 6);
  });

  it('vol target without a target falls back to equal weight, and bad configs are refused', () => {
    const returns = returnsFor({ A: 0.01, B: 0.02 });
    expect(targetWeights(ranked({ A: 1, B: 2 }), 'vol_target', { topN: 2, returns }).fallback).toMatch(
      /no targetVol/,
    );
    expect(() => targetWeights([], 'equal', { topN: 0 })).toThrow(/topN/);
    expect(() => targetWeights([], 'equal', { topN: 2, maxWeight: 0 })).toThrow(/maxWeight/);
    expect(() => targetWeights([], 'equal', { topN: 2, turnoverPenalty: -1 })).toThrow(/turnoverPenalty/);
  });
});
