import { describe, expect, it } from 'vitest';
import {
  annualVolatility,
  averageTrade,
  cagr,
  computeMetrics,
  expectancy,
  exposure,
  METRIC_DEFINITIONS,
  maxDrawdown,
  minTrackRecord,
  moments,
  normalCdf,
  normalQuantile,
  periodsPerYear,
  probabilisticSharpe,
  profitFactor,
  sharpe,
  sharpeStdError,
  simpleReturns,
  sortino,
  totalReturn,
  turnover,
  winRate,
} from './metrics.ts';

const a = [1, 2, 3, 4, 5];
const b = [5, 4, 3, 2, 1];
const c = [1, 2, 3, 2, 1];

// vectorbt tests/test_returns.py (polakowo/vectorbt): sharpe_ratio with risk_free 0.01 and
// annualized_volatility, both on year_freq 365 days, for the series a, b and c above.
describe('Sharpe and volatility against vectorbt tests/test_returns.py', () => {
  it('S1: sharpe_ratio(risk_free=0.01) × √365', () => {
    expect(sharpe(simpleReturns(a), 365, 0.01)).toBeCloseTo(29.052280196490333, 10);
    expect(sharpe(simpleReturns(b), 365, 0.01)).toBeCloseTo(-48.06592068111974, 10);
    expect(sharpe(simpleReturns(c), 365, 0.01)).toBeCloseTo(4.232900240313306, 10);
  });

  it('S2: annualized_volatility = sample std × √365', () => {
    expect(annualVolatility(simpleReturns(a), 365)).toBeCloseTo(6.417884083645567, 10);
    expect(annualVolatility(simpleReturns(b), 365)).toBeCloseTo(2.5122615973129334, 10);
    expect(annualVolatility(simpleReturns(c), 365)).toBeCloseTo(13.509256086106296, 10);
  });
});

// Bailey & López de Prado (2012), "The Sharpe Ratio Efficient Frontier", Journal of Risk 15(2): the
// worked PSR example (24 monthly returns) and the two hedge-fund indices of its MinTRL table.
describe('PSR, σ(SR) and MinTRL against Bailey & López de Prado (2012)', () => {
  it('P1: n 24, SR 0.458, normal returns → PSR(0) 0.98167', () => {
    expect(probabilisticSharpe(0.458, 0, 24, 0, 3)).toBeCloseTo(0.98167, 5);
  });

  it('P2: the same with skewness −2.448 and raw kurtosis 10.164 → PSR(0) 0.91336', () => {
    expect(probabilisticSharpe(0.458, 0, 24, -2.448, 10.164)).toBeCloseTo(0.91336, 5);
  });

  it('P3: n 134, SR 0.7079, γ3 −0.2250, γ4 2.9570 → σ(SR) 0.10276, MinTRL(95%) 8.5826', () => {
    expect(sharpeStdError(0.7079, 134, -0.225, 2.957)).toBeCloseTo(0.10276, 5);
    expect(minTrackRecord(0.7079, 0, -0.225, 2.957, 0.95)).toBeCloseTo(8.5826, 3);
  });

  it('P4: n 134, SR 0.8183, γ3 −1.4455, γ4 7.0497 → σ(SR) 0.15501, MinTRL(95%) 13.9116', () => {
    expect(sharpeStdError(0.8183, 134, -1.4455, 7.0497)).toBeCloseTo(0.15501, 5);
    expect(minTrackRecord(0.8183, 0, -1.4455, 7.0497, 0.95)).toBeCloseTo(13.9116, 3);
  });

  it('reads raw kurtosis: passing excess kurtosis (0 for normal returns) would shrink σ(SR)', () => {
    expect(sharpeStdError(0.458, 24, 0, 0)).toBeLessThan(sharpeStdError(0.458, 24, 0, 3));
  });
});

describe('normal distribution', () => {
  // Values of Φ and Φ⁻¹ from standard tables (Abramowitz & Stegun 26.2), to the digits tabulated there.
  it('Φ matches tabulated values to 1e-14', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.841344746068543, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.158655253931457, 14);
    expect(normalCdf(1.96)).toBeCloseTo(0.97500210485178, 14);
    expect(normalCdf(3)).toBeCloseTo(0.99865010196837, 14);
    // Far in the tail the absolute error stays below 1e-16 (relative 5e-11 at −5).
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791939e-7, 16);
    expect(normalCdf(-40)).toBe(0);
  });

  it('Φ⁻¹ inverts Φ to double precision', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 13);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 13);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    for (const p of [1e-10, 0.01, 0.3, 0.5, 0.77, 0.999])
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(normalQuantile(1.5))).toBe(true);
  });
});

describe('hand-worked values', () => {
  it('total return and CAGR', () => {
    expect(totalReturn([100, 110, 121])).toBeCloseTo(0.21, 14);
    // Two periods at two periods a year is one year: 21%; at one period a year, two years: √1.21 − 1.
    expect(cagr([100, 110, 121], 2)).toBeCloseTo(0.21, 14);
    expect(cagr([100, 110, 121], 1)).toBeCloseTo(0.1, 14);
  });

  it('Sortino: c = 1,2,3,2,1 has returns 1, ½, −⅓, −½; mean ⅙ over √((⅑ + ¼)/4) = √13/12 → 2/√13 × √365', () => {
    expect(sortino(simpleReturns(c), 365)).toBeCloseTo((2 / Math.sqrt(13)) * Math.sqrt(365), 12);
    expect(sortino(simpleReturns(a), 365)).toBe(Number.POSITIVE_INFINITY);
  });

  it('maximum drawdown and its duration', () => {
    // Peak 120, trough 90: −25%; below 120 for two periods, then a new peak 125 and one unrecovered period.
    expect(maxDrawdown([100, 120, 90, 110, 125, 100])).toEqual({ depth: -0.25, duration: 2 });
    expect(maxDrawdown([100, 90, 95, 99, 98]).duration).toBe(4);
    expect(maxDrawdown([100, 90, 95, 99, 98]).depth).toBeCloseTo(-0.1, 14);
    expect(maxDrawdown([1, 2, 3])).toEqual({ depth: 0, duration: 0 });
  });

  it('trade statistics: returns 10%, −5%, 20%, −10%', () => {
    const trades = [
      { pnl: 10, returnPct: 0.1 },
      { pnl: -5, returnPct: -0.05 },
      { pnl: 20, returnPct: 0.2 },
      { pnl: -10, returnPct: -0.1 },
    ];
    expect(winRate(trades)).toBe(0.5);
    expect(profitFactor(trades)).toBe(2);
    expect(expectancy(trades)).toBeCloseTo(0.0375, 14);
    // (1.1 × 0.95 × 1.2 × 0.9)^(1/4) − 1
    expect(averageTrade(trades)).toBeCloseTo(1.1286 ** 0.25 - 1, 12);
    expect(profitFactor([{ pnl: 3, returnPct: 0.03 }])).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(winRate([]))).toBe(true);
  });

  it('exposure and turnover', () => {
    expect(exposure([0, 1, 1, 0])).toBe(0.5);
    // 400 traded over one year (two periods at two a year) on a mean equity of 100: 400 / 2 / 100 = 2.
    expect(turnover(400, [100, 100, 100], 2)).toBe(2);
  });

  it('skewness and raw kurtosis of a symmetric two-point sample are 0 and 1', () => {
    expect(moments([-1, 1, -1, 1])).toEqual({ skewness: 0, kurtosis: 1 });
  });
});

describe('computeMetrics', () => {
  it('fills every defined metric and agrees with the single functions', () => {
    const equity = [100, 120, 90, 110, 125, 100];
    const trades = [
      { pnl: 20, returnPct: 0.2 },
      { pnl: -10, returnPct: -0.08 },
    ];
    const m = computeMetrics({ equity, periodsPerYear: 252, trades, invested: [1, 1, 0, 1, 1], traded: 500 });
    expect(Object.keys(m).sort()).toEqual(Object.keys(METRIC_DEFINITIONS).sort());
    const r = simpleReturns(equity);
    expect(m.total_return).toBe(0);
    expect(m.sharpe).toBeCloseTo(sharpe(r, 252), 12);
    expect(m.max_drawdown).toBe(-0.25);
    expect(m.max_drawdown_duration).toBe(2);
    expect(m.calmar).toBeCloseTo(m.cagr / 0.25, 12);
    expect(m.trades).toBe(2);
    expect(m.best_trade).toBe(0.2);
    expect(m.worst_trade).toBe(-0.08);
    expect(m.exposure).toBe(0.8);
    const { skewness, kurtosis } = moments(r);
    expect(m.psr).toBeCloseTo(probabilisticSharpe(sharpe(r, 1), 0, 5, skewness, kurtosis), 12);
  });

  it('annualises by market: 252 for equities, 365 for crypto', () => {
    expect(periodsPerYear('equity')).toBe(252);
    expect(periodsPerYear('crypto')).toBe(365);
  });

  it('defines every metric in one line', () => {
    for (const text of Object.values(METRIC_DEFINITIONS)) expect(text).toMatch(/^[^\n]+\.$/);
  });
});
