// The lifecycle's gates as pure functions of numbers: a backtest's returns against the promotion gates
// (with the deflated Sharpe ratio counting every trial), and a paper track record against the band the
// backtest expects. The loop and the admin actions store what these return as a transition's metrics.

import { maxDrawdown, moments, simpleReturns } from '../engine/metrics.ts';
import { deflatedSharpe, noiseSharpe } from '../search/overfitting.ts';
import type { LifecycleGates } from './config.ts';

/** One gate's outcome: the number, the threshold it was held to, and whether it passed. */
export interface GateCheck {
  gate: 'trades' | 'sharpe' | 'return' | 'max_drawdown' | 'dsr';
  value: number | null;
  threshold: number;
  pass: boolean;
}

/** The trials a deflated Sharpe deflates by: how many were tried and the variance of their per-day Sharpe. */
export interface TrialCount {
  trials: number;
  /** Variance of the trials' per-period Sharpe ratios (NaN when unknown: the noise floor is used). */
  sharpeVariance: number;
}

/**
 * Variance of the trials' per-period Sharpe ratios estimated robustly, (1.4826 · median absolute
 * deviation)²: a few strategies with a real edge among many noise trials would inflate the sample
 * variance and with it the bar every candidate, the edge included, must clear. NaN with fewer than two.
 */
export function robustSharpeVariance(sharpes: readonly number[]): number {
  const xs = sharpes.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length < 2) return Number.NaN;
  const median = (v: readonly number[]) => {
    const m = v.length >> 1;
    return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
  };
  const mid = median(xs);
  const mad = median(xs.map((x) => Math.abs(x - mid)).sort((a, b) => a - b));
  return (1.4826 * mad) ** 2;
}

/** A backtest's evaluation: the metrics every gate read, each gate's check, and the verdict. */
export interface BacktestEvaluation {
  pass: boolean;
  checks: GateCheck[];
  trades: number;
  periods: number;
  total_return: number;
  /** Annualised Sharpe ratio of the daily returns. */
  sharpe: number | null;
  /** Per-period Sharpe, stored so later trials' variance can be taken over it. */
  sharpe_period: number | null;
  max_drawdown: number;
  skewness: number | null;
  kurtosis: number | null;
  trials: number;
  /** The variance the deflation used: the trials' (robust), floored at a noise strategy's 1/(T − 1). */
  sharpe_variance: number;
  /** Annualised Sharpe that the best of `trials` noise strategies reaches by luck. */
  noise_sharpe: number;
  dsr: number | null;
  /** Mean and sample standard deviation of the daily returns: the paper band is built from them. */
  mean_daily: number;
  std_daily: number;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Evaluates a backtest's equity curve (starting cash first, then each day's close) and closed-trade count
 * against the gates. The deflated Sharpe uses `count.trials` (this one included) and the trials' Sharpe
 * variance floored at 1/(T − 1), the variance of a noise strategy's Sharpe estimate over T days: a few or
 * near-identical trials cannot lower the bar below what that many independent noise strategies reach.
 */
export function evaluateBacktest(
  equity: ArrayLike<number>,
  trades: number,
  periodsPerYear: number,
  count: TrialCount,
  gates: LifecycleGates,
): BacktestEvaluation {
  const returns = simpleReturns(equity);
  const t = returns.length;
  let sum = 0;
  for (let i = 0; i < t; i++) sum += returns[i]!;
  const mean = t > 0 ? sum / t : 0;
  let ss = 0;
  for (let i = 0; i < t; i++) ss += (returns[i]! - mean) ** 2;
  const std = t > 1 ? Math.sqrt(ss / (t - 1)) : 0;
  const srPeriod = std > 0 ? mean / std : Number.NaN;
  const { skewness, kurtosis } = t > 2 && std > 0 ? moments(returns) : { skewness: NaN, kurtosis: NaN };
  const trials = Math.max(1, count.trials);
  const floor = t > 1 ? 1 / (t - 1) : Number.NaN;
  const variance = Number.isFinite(count.sharpeVariance) ? Math.max(count.sharpeVariance, floor) : floor;
  const dsr =
    Number.isFinite(srPeriod) && Number.isFinite(skewness) && t > 1
      ? deflatedSharpe({ sharpe: srPeriod, periods: t, skewness, kurtosis, trials, sharpeVariance: variance })
      : Number.NaN;
  const first = equity.length > 0 ? equity[0]! : Number.NaN;
  const last = equity.length > 0 ? equity[equity.length - 1]! : Number.NaN;
  const totalReturn = last / first - 1;
  const depth = maxDrawdown(equity).depth;
  const sharpe = srPeriod * Math.sqrt(periodsPerYear);
  const checks: GateCheck[] = [
    { gate: 'trades', value: trades, threshold: gates.min_trades, pass: trades >= gates.min_trades },
    {
      gate: 'sharpe',
      value: finite(sharpe),
      threshold: gates.min_sharpe,
      pass: Number.isFinite(sharpe) && sharpe >= gates.min_sharpe,
    },
    {
      gate: 'return',
      value: finite(totalReturn),
      threshold: gates.min_return,
      pass: Number.isFinite(totalReturn) && totalReturn >= gates.min_return,
    },
    {
      gate: 'max_drawdown',
      value: finite(-depth),
      threshold: gates.max_drawdown,
      pass: Number.isFinite(depth) && -depth <= gates.max_drawdown,
    },
    {
      gate: 'dsr',
      value: finite(dsr),
      threshold: gates.min_dsr,
      pass: Number.isFinite(dsr) && dsr >= gates.min_dsr,
    },
  ];
  return {
    pass: checks.every((c) => c.pass),
    checks,
    trades,
    periods: t,
    total_return: totalReturn,
    sharpe: finite(sharpe),
    sharpe_period: finite(srPeriod),
    max_drawdown: depth,
    skewness: finite(skewness),
    kurtosis: finite(kurtosis),
    trials,
    sharpe_variance: variance,
    noise_sharpe: noiseSharpe(trials, variance) * Math.sqrt(periodsPerYear),
    dsr: finite(dsr),
    mean_daily: mean,
    std_daily: std,
  };
}

const GATE_LABEL: Record<GateCheck['gate'], string> = {
  trades: 'trades',
  sharpe: 'Sharpe',
  return: 'return',
  max_drawdown: 'max drawdown',
  dsr: 'deflated Sharpe',
};

const fmt = (c: GateCheck): string => {
  const pct = c.gate === 'return' || c.gate === 'max_drawdown';
  const show = (x: number) =>
    pct ? `${(x * 100).toFixed(1)}%` : Number.isInteger(x) ? `${x}` : x.toFixed(3);
  const op = c.gate === 'max_drawdown' ? (c.pass ? '≤' : '>') : c.pass ? '≥' : '<';
  return `${GATE_LABEL[c.gate]} ${c.value === null ? 'undefined' : show(c.value)} ${op} ${show(c.threshold)}`;
};

/** One line naming what decided: every failed gate, or every gate passed. */
export function evaluationReason(e: BacktestEvaluation): string {
  const failed = e.checks.filter((c) => !c.pass);
  return failed.length > 0
    ? `failed ${failed.map(fmt).join('; ')} (${e.trials} trials)`
    : `passed every gate: ${e.checks.map(fmt).join('; ')} (${e.trials} trials)`;
}

/** The band a paper return over `days` trading days should fall in, from the backtest's daily returns. */
export function paperBand(e: Pick<BacktestEvaluation, 'mean_daily' | 'std_daily'>, days: number, z: number) {
  const centre = e.mean_daily * days;
  const half = z * e.std_daily * Math.sqrt(days);
  return { low: centre - half, high: centre + half };
}

/** What a paper or live track record calls for: stay, promote, reject (paper) or retire (live). */
export type PaperVerdict =
  | { action: 'stay'; reason: string }
  | { action: 'promote' | 'reject' | 'retire'; reason: string };

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * Paper's verdict after `days` trading days with return `ret`: rejected at or below the stop at once;
 * after the minimum days, promoted when the return lies inside the backtest's band (and a live slot is
 * free); rejected at the timeout when it still has not qualified.
 */
export function paperVerdict(
  e: Pick<BacktestEvaluation, 'mean_daily' | 'std_daily'>,
  days: number,
  ret: number,
  liveSlots: number,
  gates: LifecycleGates,
): PaperVerdict {
  if (ret <= gates.paper_stop)
    return {
      action: 'reject',
      reason: `paper return ${pct(ret)} at or below the stop ${pct(gates.paper_stop)}`,
    };
  const band = paperBand(e, days, gates.paper_band_z);
  const inside = ret >= band.low && ret <= band.high;
  const where = `paper return ${pct(ret)} over ${days} days, band ${pct(band.low)}..${pct(band.high)}`;
  if (days >= gates.paper_min_days && inside) {
    if (liveSlots > 0) return { action: 'promote', reason: `${where}: inside the backtest's band` };
    if (days < gates.paper_timeout_days)
      return {
        action: 'stay',
        reason: `${where}: qualified, waiting for a live slot (${gates.max_live} live)`,
      };
  }
  if (days >= gates.paper_timeout_days)
    return {
      action: 'reject',
      reason: `${where}: timeout after ${gates.paper_timeout_days} days without ${inside ? 'a live slot' : 'reaching the band'}`,
    };
  return {
    action: 'stay',
    reason: `${where}: ${days < gates.paper_min_days ? `needs ${gates.paper_min_days} days` : 'outside the band'}`,
  };
}

/** A live strategy is retired when its equity falls more than the gate below its peak since going live. */
export function liveVerdict(equity: readonly number[], gates: LifecycleGates): PaperVerdict {
  if (equity.length === 0) return { action: 'stay', reason: 'no live days yet' };
  const depth = -maxDrawdown(equity).depth;
  return depth > gates.live_max_drawdown
    ? { action: 'retire', reason: `live drawdown ${pct(depth)} beyond ${pct(gates.live_max_drawdown)}` }
    : { action: 'stay', reason: `live drawdown ${pct(depth)} within ${pct(gates.live_max_drawdown)}` };
}
