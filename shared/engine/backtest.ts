import type { StrategySpec } from '../strategy/spec.ts';
import { compileStrategy, decide } from './decide.ts';
import { computeMetrics, type Metrics, periodsPerYear } from './metrics.ts';
import type { Panel } from './panel.ts';
import {
  createState,
  type Decisions,
  type EngineState,
  type Fill,
  NO_DECISIONS,
  type Refusal,
  step,
  type Trade,
} from './step.ts';

/** What one backtest run takes besides the spec and the panel. */
export interface BacktestOptions {
  cash: number;
  /** First and last panel day simulated (indices, inclusive); earlier days still feed lookbacks. */
  from?: number;
  to?: number;
}

/** A backtest's outcome: the equity curve per simulated day, the fills, refusals and closed trades, the metrics. */
export interface BacktestResult {
  /** Panel index of the first simulated day. */
  from: number;
  /** Equity at each simulated day's close. */
  equity: Float64Array;
  /** 1 where a position was open at that close. */
  invested: Uint8Array;
  fills: Fill[];
  refusals: Refusal[];
  /** Closed trades; positions still open at the end are in `state`, marked in the last equity. */
  trades: Trade[];
  metrics: Metrics;
  periodsPerYear: number;
  state: EngineState;
}

/** Annualisation of a panel: 365 when it holds crypto only, else 252 (equities trade 252 days a year). */
export function panelPeriods(panel: Pick<Panel, 'assets'>): number {
  return panel.assets.length > 0 && panel.assets.every((a) => a.assetType === 'crypto')
    ? periodsPerYear('crypto')
    : periodsPerYear('equity');
}

/**
 * Runs a spec over a panel: each day `step` executes the previous close's decisions, then `decide` reads
 * that close. The last day's decisions are not executed (there is no next open).
 */
export function runBacktest(spec: StrategySpec, panel: Panel, opts: BacktestOptions): BacktestResult {
  const from = opts.from ?? 0;
  const to = opts.to ?? panel.nDays - 1;
  if (!(from >= 0 && from <= to && to < panel.nDays))
    throw new RangeError(`days ${from}..${to} are outside the panel's 0..${panel.nDays - 1}`);
  const compiled = compileStrategy(spec, panel);
  const state = createState(spec, panel, opts.cash);
  state.day = from - 1;
  const n = to - from + 1;
  const equity = new Float64Array(n);
  const invested = new Uint8Array(n);
  let pending: Decisions = NO_DECISIONS;
  for (let d = from; d <= to; d++) {
    step(state, panel, d, pending);
    equity[d - from] = state.equity;
    invested[d - from] = state.gross > 0 ? 1 : 0;
    pending = decide(compiled, state, panel, d);
  }
  const periods = panelPeriods(panel);
  const curve = new Float64Array(n + 1);
  curve[0] = opts.cash;
  curve.set(equity, 1);
  const metrics = computeMetrics({
    equity: curve,
    periodsPerYear: periods,
    trades: state.trades,
    invested,
    traded: state.traded,
  });
  return {
    from,
    equity,
    invested,
    fills: state.fills,
    refusals: state.refusals,
    trades: state.trades,
    metrics,
    periodsPerYear: periods,
    state,
  };
}

/**
 * Buy-and-hold of one panel asset over the same days: its close (carried over days without a bar) as an
 * equity curve from the first close, with its metrics (no trades, always invested).
 */
export function buyAndHold(panel: Panel, asset: number, from = 0, to = panel.nDays - 1): Metrics {
  const closes: number[] = [];
  let last = NaN;
  for (let d = from; d <= to; d++) {
    const c = panel.close[asset * panel.nDays + d]!;
    if (!Number.isNaN(c)) last = c;
    if (!Number.isNaN(last)) closes.push(last);
  }
  return computeMetrics({
    equity: closes,
    periodsPerYear: panelPeriods(panel),
    invested: new Uint8Array(Math.max(0, closes.length - 1)).fill(1),
  });
}
