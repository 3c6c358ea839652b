// Performance statistics of a backtest: one function per statistic, its definition in one line, as
// backtesting.py's _stats.py does. Returns are simple per-period returns of the equity curve; every
// statistic is computed from per-period values and annualised last (√periods for ratios).

import type { AssetType } from '../domain/market.ts';

/** Periods per year: US equities trade about 252 days a year, crypto every day. */
export function periodsPerYear(assetType: AssetType): number {
  return assetType === 'equity' ? 252 : 365;
}

/** Every metric's key with its one-line definition, for tables and the dashboard's hover text. */
export const METRIC_DEFINITIONS = {
  total_return: 'Final equity over starting equity, minus 1.',
  cagr: 'Compound annual growth rate: (final / starting equity)^(periods per year / periods) − 1.',
  volatility:
    'Annualised volatility: sample standard deviation (n − 1) of per-period returns × √(periods per year).',
  sharpe:
    'Sharpe ratio: mean of per-period returns less the risk-free rate, over their sample standard deviation, × √(periods per year).',
  sortino:
    'Sortino ratio: mean of per-period returns less the risk-free rate, over the root mean square of the negative ones (all periods counted), × √(periods per year).',
  max_drawdown:
    'Maximum drawdown: the deepest fall of equity below its running peak, as a negative fraction.',
  max_drawdown_duration:
    'Longest run of periods that equity spent below an earlier peak (an unrecovered one runs to the end).',
  calmar: 'Calmar ratio: CAGR over the absolute maximum drawdown.',
  trades: 'Number of closed trades (a position from its entry to its last exit).',
  win_rate: 'Share of closed trades with a positive P&L after fees.',
  profit_factor: 'Sum of the winning trades’ P&L over the absolute sum of the losing trades’ P&L.',
  expectancy: 'Arithmetic mean of the closed trades’ returns (P&L over entry value).',
  avg_trade: 'Geometric mean of the closed trades’ returns: (∏(1 + r))^(1/trades) − 1.',
  best_trade: 'Highest closed-trade return.',
  worst_trade: 'Lowest closed-trade return.',
  exposure: 'Share of periods that ended with at least one position open.',
  turnover: 'Annual turnover: value traded (buys and sells) / 2, over mean equity, per year.',
  psr: 'Probabilistic Sharpe ratio: probability that the true per-period Sharpe exceeds 0, given the sample’s length, skewness and raw kurtosis (Bailey & López de Prado 2012).',
} as const;

/** A metric's key. */
export type MetricKey = keyof typeof METRIC_DEFINITIONS;

/** Every metric of one backtest or benchmark; NaN where undefined (no trades, flat equity). */
export type Metrics = Record<MetricKey, number>;

/** Simple returns of consecutive values: out[i] = v[i + 1] / v[i] − 1 (the first value has none). */
export function simpleReturns(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) out[i - 1] = values[i]! / values[i - 1]! - 1;
  return out;
}

function mean(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  return x.length ? sum / x.length : NaN;
}

/** Sample standard deviation (n − 1). */
function sampleStd(x: ArrayLike<number>): number {
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - m) ** 2;
  return x.length > 1 ? Math.sqrt(ss / (x.length - 1)) : NaN;
}

/** Final over first equity, minus 1. */
export function totalReturn(equity: ArrayLike<number>): number {
  return equity.length ? equity[equity.length - 1]! / equity[0]! - 1 : NaN;
}

/** Compound annual growth rate over `equity.length − 1` periods. */
export function cagr(equity: ArrayLike<number>, periods: number): number {
  const n = equity.length - 1;
  if (n < 1) return NaN;
  return (equity[n]! / equity[0]!) ** (periods / n) - 1;
}

/** Sample standard deviation of returns × √periods. */
export function annualVolatility(returns: ArrayLike<number>, periods: number): number {
  return sampleStd(returns) * Math.sqrt(periods);
}

/** Annualised Sharpe ratio with a per-period risk-free rate. */
export function sharpe(returns: ArrayLike<number>, periods: number, riskFree = 0): number {
  const excess = Float64Array.from(returns as ArrayLike<number>, (r) => r - riskFree);
  return (mean(excess) / sampleStd(excess)) * Math.sqrt(periods);
}

/**
 * Annualised Sortino ratio: downside deviation as the root mean square of min(r − rf, 0) over all
 * periods, as empyrical's and vectorbt's sortino_ratio define it.
 */
export function sortino(returns: ArrayLike<number>, periods: number, riskFree = 0): number {
  let sum = 0;
  let down = 0;
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i]! - riskFree;
    sum += x;
    if (x < 0) down += x * x;
  }
  const n = returns.length;
  return (sum / n / Math.sqrt(down / n)) * Math.sqrt(periods);
}

/** Deepest drawdown (a negative fraction, 0 if none) and the longest run of periods below an earlier peak. */
export function maxDrawdown(equity: ArrayLike<number>): { depth: number; duration: number } {
  let peak = Number.NEGATIVE_INFINITY;
  let depth = 0;
  let run = 0;
  let duration = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e >= peak) {
      peak = e;
      run = 0;
      continue;
    }
    run++;
    if (run > duration) duration = run;
    const dd = e / peak - 1;
    if (dd < depth) depth = dd;
  }
  return { depth, duration };
}

/** CAGR over the absolute maximum drawdown (NaN without a drawdown). */
export function calmar(cagrValue: number, maxDrawdownDepth: number): number {
  return maxDrawdownDepth < 0 ? cagrValue / -maxDrawdownDepth : NaN;
}

/** A closed trade as the trade statistics read it. */
export interface TradeOutcome {
  pnl: number;
  returnPct: number;
}

/** Share of trades with P&L above 0. */
export function winRate(trades: readonly TradeOutcome[]): number {
  return trades.length ? trades.filter((t) => t.pnl > 0).length / trades.length : NaN;
}

/** Gross profit over gross loss: Infinity with wins and no loss, NaN with neither. */
export function profitFactor(trades: readonly TradeOutcome[]): number {
  let won = 0;
  let lost = 0;
  for (const t of trades) {
    if (t.pnl > 0) won += t.pnl;
    else lost -= t.pnl;
  }
  return lost > 0 ? won / lost : won > 0 ? Number.POSITIVE_INFINITY : NaN;
}

/** Arithmetic mean of the trades' returns. */
export function expectancy(trades: readonly TradeOutcome[]): number {
  return mean(trades.map((t) => t.returnPct));
}

/** Geometric mean of the trades' returns, as backtesting.py's "Avg. Trade". */
export function averageTrade(trades: readonly TradeOutcome[]): number {
  if (!trades.length) return NaN;
  let logs = 0;
  for (const t of trades) logs += Math.log1p(t.returnPct);
  return Math.expm1(logs / trades.length);
}

/** Share of periods with a position open (`invested[i]` non-zero). */
export function exposure(invested: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < invested.length; i++) if (invested[i]) n++;
  return invested.length ? n / invested.length : NaN;
}

/** Value traded / 2 over mean equity, per year of `equity.length − 1` periods. */
export function turnover(traded: number, equity: ArrayLike<number>, periods: number): number {
  const years = (equity.length - 1) / periods;
  return years > 0 ? traded / 2 / mean(equity) / years : NaN;
}

/** Population skewness and raw (non-excess: 3 for a normal distribution) kurtosis. */
export function moments(x: ArrayLike<number>): { skewness: number; kurtosis: number } {
  const m = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const n = x.length;
  m2 /= n;
  return { skewness: m3 / n / m2 ** 1.5, kurtosis: m4 / n / (m2 * m2) };
}

/**
 * Standard error of a per-period Sharpe ratio estimated on n periods (Bailey & López de Prado 2012, with
 * Mertens' correction): √((1 − γ3·SR + (γ4 − 1)/4·SR²) / (n − 1)), γ4 the raw kurtosis.
 */
export function sharpeStdError(sr: number, n: number, skewness: number, kurtosis: number): number {
  return Math.sqrt((1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr) / (n - 1));
}

/** PSR(SR*) = Φ((SR − SR*) / σ(SR)): the probability that the true per-period Sharpe exceeds SR*. */
export function probabilisticSharpe(
  sr: number,
  srStar: number,
  n: number,
  skewness: number,
  kurtosis: number,
): number {
  return normalCdf((sr - srStar) / sharpeStdError(sr, n, skewness, kurtosis));
}

/** Minimum track record length: periods needed for PSR(SR*) to reach `probability`. @internal */
export function minTrackRecord(
  sr: number,
  srStar: number,
  skewness: number,
  kurtosis: number,
  probability: number,
) {
  const z = normalQuantile(probability);
  return 1 + (1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr) * (z / (sr - srStar)) ** 2;
}

/**
 * Standard normal CDF, by Hart's double-precision algorithm 5666 (1968) as given by G. West, "Better
 * approximations to cumulative normal functions", Wilmott Magazine 2005: absolute error below 1e-14, no
 * dependency for one function.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x);
  let tail: number;
  if (z > 37) tail = 0;
  else {
    const e = Math.exp((-z * z) / 2);
    if (z < 7.07106781186547) {
      let num = 3.52624965998911e-2 * z + 0.700383064443688;
      num = num * z + 6.37396220353165;
      num = num * z + 33.912866078383;
      num = num * z + 112.079291497871;
      num = num * z + 221.213596169931;
      num = num * z + 220.206867912376;
      let den = 8.83883476483184e-2 * z + 1.75566716318264;
      den = den * z + 16.064177579207;
      den = den * z + 86.7807322029461;
      den = den * z + 296.564248779674;
      den = den * z + 637.333633378831;
      den = den * z + 793.826512519948;
      den = den * z + 440.413735824752;
      tail = (e * num) / den;
    } else {
      let b = z + 0.65;
      b = z + 4 / b;
      b = z + 3 / b;
      b = z + 2 / b;
      b = z + 1 / b;
      tail = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - tail : tail;
}

const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/**
 * Standard normal quantile: P. J. Acklam's rational approximation (relative error 1.15e-9) refined by one
 * Halley step on normalCdf, which brings it to double precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : NaN;
  const low = 0.02425;
  let x: number;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    if (p > 1 - low) x = -x;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  const u = (normalCdf(x) - p) * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** What the metrics of one run read. */
export interface MetricsInput {
  /** Equity at the start, then after each period: n + 1 values for n periods. */
  equity: ArrayLike<number>;
  periodsPerYear: number;
  trades?: readonly TradeOutcome[];
  /** Per period (n values): non-zero when a position was open at its end. */
  invested?: ArrayLike<number>;
  /** Value of every fill, summed. */
  traded?: number;
  /** Per-period risk-free rate; 0 unless given. */
  riskFree?: number;
}

/** Every metric of METRIC_DEFINITIONS for one equity curve and its trades. */
export function computeMetrics(input: MetricsInput): Metrics {
  const { equity, periodsPerYear: p, trades = [], riskFree = 0 } = input;
  const returns = simpleReturns(equity);
  const growth = cagr(equity, p);
  const dd = maxDrawdown(equity);
  const perPeriodSharpe = sharpe(returns, 1, riskFree);
  const { skewness, kurtosis } = moments(returns);
  return {
    total_return: totalReturn(equity),
    cagr: growth,
    volatility: annualVolatility(returns, p),
    sharpe: perPeriodSharpe * Math.sqrt(p),
    sortino: sortino(returns, p, riskFree),
    max_drawdown: dd.depth,
    max_drawdown_duration: dd.duration,
    calmar: calmar(growth, dd.depth),
    trades: trades.length,
    win_rate: winRate(trades),
    profit_factor: profitFactor(trades),
    expectancy: expectancy(trades),
    avg_trade: averageTrade(trades),
    best_trade: trades.length
      ? trades.reduce((m, t) => Math.max(m, t.returnPct), Number.NEGATIVE_INFINITY)
      : NaN,
    worst_trade: trades.length
      ? trades.reduce((m, t) => Math.min(m, t.returnPct), Number.POSITIVE_INFINITY)
      : NaN,
    exposure: input.invested ? exposure(input.invested) : NaN,
    turnover: input.traded !== undefined ? turnover(input.traded, equity, p) : NaN,
    psr: probabilisticSharpe(perPeriodSharpe, 0, returns.length, skewness, kurtosis),
  };
}
