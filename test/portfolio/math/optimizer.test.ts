import { describe, expect, it } from 'vitest';
import {
  type CappedQp,
  ledoitWolf,
  type Matrix,
  projectCappedSimplex,
  solveCappedQp,
} from '../../../shared/portfolio/optimizer/index.ts';

/** Columns of a days × assets table. */
const columns = (rows: number[][]) => rows[0]!.map((_, j) => rows.map((r) => r[j]!));

/** Each value of `actual` equals `expected`'s to `digits` decimals. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], digits: number): void {
  for (const [i, v] of expected.entries()) expect(actual[i]).toBeCloseTo(v, digits);
}

const matrix = (rows: number[][]): Matrix => ({ p: rows.length, data: Float64Array.from(rows.flat()) });

describe('ledoitWolf', () => {
  // Reference: scikit-learn 1.2.1 sklearn.covariance.ledoit_wolf (assume_centered=False) on the same samples.
  it('matches scikit-learn on a 6-day, 3-asset sample: intensity 0.48045263545384664', () => {
    const rows = [
      [0.01, -0.02, 0.005],
      [0.003, 0.01, -0.004],
      [-0.012, 0.004, 0.002],
      [0.007, -0.006, 0.011],
      [0.0, 0.015, -0.009],
      [-0.004, -0.001, 0.006],
    ];
    const lw = ledoitWolf(columns(rows))!;
    expect(lw.shrinkage).toBeCloseTo(0.48045263545384664, 12);
    const expected = [
      6.3485853012130568e-5, -2.2282809190535021e-5, 5.1666099029867463e-6, -2.2282809190535021e-5,
      1.0349100008218438e-4, -2.9671927264080313e-5, 5.1666099029867463e-6, -2.9671927264080313e-5,
      5.8939813572351726e-5,
    ];
    for (const [i, v] of expected.entries()) expect(Math.abs(lw.data[i]! - v)).toBeLessThan(1e-17);
  });

  it('matches scikit-learn on a 4-day, 2-asset sample: intensity 0.66402378592666', () => {
    const lw = ledoitWolf(
      columns([
        [1, 2],
        [2, 1],
        [3, 5],
        [4, 3],
      ]),
    )!;
    expect(lw.shrinkage).toBeCloseTo(0.66402378592666, 12);
    expect(lw.data[0]).toBeCloseTo(1.561261149653122, 12);
    expect(lw.data[1]).toBeCloseTo(0.2939791873141725, 12);
    expect(lw.data[3]).toBeCloseTo(1.876238850346878, 12);
  });

  it('uses only days where every asset has a value, and needs two of them', () => {
    const full = ledoitWolf(
      columns([
        [1, 2],
        [2, 1],
        [3, 5],
        [4, 3],
      ]),
    )!;
    const gappy = ledoitWolf([
      [1, Number.NaN, 2, 3, 4],
      [2, 7, 1, 5, 3],
    ])!;
    expect(Array.from(gappy.data)).toEqual(Array.from(full.data));
    expect(ledoitWolf([[1], [2]])).toBeNull();
    expect(ledoitWolf([])).toBeNull();
  });
});

describe('projectCappedSimplex', () => {
  it('projects onto weights in [0, cap] summing to 1', () => {
    const w = projectCappedSimplex([0.9, 0.5, -0.2, 0.1], 0.5, new Float64Array(4));
    // τ with clip(v - τ, 0, 0.5) summing to 1: 0.5 (capped) + (0.5 - τ) + (0.1 - τ) = 1 → τ = 0.05.
    expect(Array.from(w).map((v) => Number(v.toFixed(15)))).toEqual([0.5, 0.45, 0, 0.05]);
  });
});

describe('solveCappedQp', () => {
  it('finds the analytic two-asset minimum variance w₁ = (σ₂² - σ₁₂) / (σ₁² + σ₂² - 2σ₁₂)', () => {
    // σ₁ = 0.2, σ₂ = 0.3, ρ = 0.25: σ₁₂ = 0.015; w₁ = (0.09 - 0.015) / (0.04 + 0.09 - 0.03) = 0.75.
    const sol = solveCappedQp({
      q: matrix([
        [0.04, 0.015],
        [0.015, 0.09],
      ]),
      cap: 1,
    });
    expect(sol.converged).toBe(true);
    expect(sol.w[0]).toBeCloseTo(0.75, 10);
    expect(sol.w[1]).toBeCloseTo(0.25, 10);
  });

  it('stops at the cap when the unconstrained answer is above it', () => {
    const sol = solveCappedQp({
      q: matrix([
        [0.04, 0.015],
        [0.015, 0.09],
      ]),
      cap: 0.6,
    });
    expect(sol.w[0]).toBeCloseTo(0.6, 12);
    expect(sol.w[1]).toBeCloseTo(0.4, 12);
  });

  // Reference: the KKT system of each problem on its active set, solved by numpy.linalg.solve (scipy 1.10's
  // SLSQP agrees to 1e-8 and finds the same active sets).
  const cov4 = matrix([
    [0.04, 0.006, 0.002, 0.0],
    [0.006, 0.09, 0.01, 0.004],
    [0.002, 0.01, 0.0225, 0.003],
    [0.0, 0.004, 0.003, 0.0625],
  ]);
  it.each([
    {
      name: 'no cap',
      cap: 1,
      expected: [0.2815061868392088, 0.05948037221091954, 0.48470133075409405, 0.1743121101957776],
    },
    {
      name: 'cap 0.35 binding',
      cap: 0.35,
      expected: [0.3404656839733359, 0.09422119988733453, 0.35, 0.21531311613932963],
    },
  ])('finds the four-asset minimum variance, $name', ({ cap, expected }) => {
    const sol = solveCappedQp({ q: cov4, cap });
    expectClose(sol.w, expected, 11);
  });

  it('adds a turnover penalty λ ||w - w₀||² that pulls towards the current book', () => {
    const current = Float64Array.from([0, 0.5, 0.5, 0]);
    const sol = solveCappedQp({ q: cov4, cap: 1, turnover: { penalty: 0.05, current } });
    expectClose(
      sol.w,
      [0.13909434215605657, 0.2400057065171783, 0.5098900656249474, 0.11100988570181772],
      11,
    );
  });

  /** Checks the KKT conditions of min wᵀQw - cᵀw + λ||w - w₀||² over the capped simplex at `w`. */
  function expectKkt(qp: CappedQp, w: Float64Array): void {
    const { p, data } = qp.q;
    const lambda = qp.turnover?.penalty ?? 0;
    expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const grad = Array.from(w, (wi, i) => {
      let row = 0;
      for (let j = 0; j < p; j++) row += data[i * p + j]! * w[j]!;
      return 2 * row - (qp.c?.[i] ?? 0) + 2 * lambda * (wi - (qp.turnover?.current[i] ?? 0));
    });
    const free = grad.filter((_, i) => w[i]! > 1e-9 && w[i]! < qp.cap - 1e-9);
    expect(free.length).toBeGreaterThan(0);
    // ν: the multiplier of Σw = 1; free weights have gradient ν, zeros at least ν, capped ones at most ν.
    const nu = free.reduce((s, g) => s + g, 0) / free.length;
    const tol = 1e-8 * Math.max(Math.abs(nu), ...grad.map(Math.abs));
    for (const [i, g] of grad.entries()) {
      expect(w[i]).toBeGreaterThanOrEqual(0);
      expect(w[i]).toBeLessThanOrEqual(qp.cap + 1e-15);
      if (w[i]! <= 1e-9) expect(g).toBeGreaterThanOrEqual(nu - tol);
      else if (w[i]! >= qp.cap - 1e-9) expect(g).toBeLessThanOrEqual(nu + tol);
      else expect(Math.abs(g - nu)).toBeLessThanOrEqual(tol);
    }
  }

  it('satisfies the KKT conditions on 20 random problems: caps, scores, turnover penalties', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    let capsBinding = 0;
    for (let k = 0; k < 20; k++) {
      const p = 5 + (k % 4) * 10;
      const returns = Array.from({ length: p }, (_, j) =>
        Array.from({ length: 120 }, () => rnd() * (0.005 + (0.06 * j) / p)),
      );
      const cov = ledoitWolf(returns)!;
      const cap = Math.max(1 / p + 0.01, 0.05 + (rnd() + 0.5) * 0.3);
      const qp: CappedQp = {
        q: cov,
        cap,
        ...(k % 2 === 1 ? { c: Float64Array.from({ length: p }, () => rnd() * 2e-4) } : {}),
        ...(k % 3 === 2
          ? {
              turnover: {
                penalty: 1e-4,
                current: projectCappedSimplex(
                  Array.from({ length: p }, () => rnd()),
                  cap,
                  new Float64Array(p),
                ),
              },
            }
          : {}),
      };
      const sol = solveCappedQp(qp);
      expect(sol.converged, `problem ${k}`).toBe(true);
      expectKkt(qp, sol.w);
      if (sol.w.some((v) => v >= cap - 1e-9)) capsBinding++;
    }
    expect(capsBinding).toBeGreaterThan(5);
  });
});
