import type { AssetType } from '../domain/market.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import { buyAndHold, runBacktest } from './backtest.ts';
import type { Metrics } from './metrics.ts';
import type { Panel } from './panel.ts';

/** One closed trade as stored and printed: symbols and dates instead of panel indices. */
export interface TradeRow {
  symbol: string;
  asset_type: AssetType;
  side: 'long' | 'short';
  entry_date: string;
  exit_date: string;
  qty: number;
  entry_price: number;
  exit_price: number;
  pnl: number;
  /** P&L over the entry value, as a fraction. */
  return_pct: number;
  bars: number;
  entry_rule: string;
  exit_rule: string;
}

/** One simulated day's close: equity, its fall below the running peak (≤ 0) and the benchmark held from the same cash. */
export interface EquityRow {
  date: string;
  equity: number;
  drawdown: number;
  benchmark_equity: number | null;
}

/** The headline numbers (percentages in percent), as `stratos backtest --json` prints them. */
export interface BacktestSummary {
  trades: number;
  return_pct: number | null;
  cagr_pct: number | null;
  max_drawdown_pct: number | null;
  sharpe: number | null;
  sortino: number | null;
  win_rate_pct: number | null;
  profit_factor: number | null;
  expectancy_pct: number | null;
  exposure_pct: number | null;
  equity_final: number;
}

/** A backtest's outcome in stored and printed form. */
export interface BacktestReport {
  summary: BacktestSummary;
  /** Every metric of METRIC_DEFINITIONS; null where undefined (no trades, flat equity). */
  metrics: Record<string, number | null>;
  benchmark: { symbol: string; metrics: Record<string, number | null> } | null;
  equity: EquityRow[];
  trades: TradeRow[];
}

/** JSON has no NaN or Infinity: those become null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const pct = (x: number): number | null => finite(x * 100);

/** Every metric, NaN and Infinity as null (for JSON). */
export function nullable(m: Metrics): Record<string, number | null> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, finite(v)]));
}

/** The headline numbers of a metrics record and the final equity. */
export function summarize(m: Metrics, equityFinal: number): BacktestSummary {
  return {
    trades: m.trades,
    return_pct: pct(m.total_return),
    cagr_pct: pct(m.cagr),
    max_drawdown_pct: pct(m.max_drawdown),
    sharpe: finite(m.sharpe),
    sortino: finite(m.sortino),
    win_rate_pct: pct(m.win_rate),
    profit_factor: finite(m.profit_factor),
    expectancy_pct: pct(m.expectancy),
    exposure_pct: pct(m.exposure),
    equity_final: equityFinal,
  };
}

/**
 * Runs `spec` over panel days `from`..`to` with `cash` and formats the outcome: trades, the equity
 * curve with drawdown and, when `benchmark` is a panel asset, its buy-and-hold from the same cash.
 */
export function backtestReport(
  spec: StrategySpec,
  panel: Panel,
  opts: { from: number; to: number; cash: number; benchmark: number | null },
): BacktestReport {
  const result = runBacktest(spec, panel, { cash: opts.cash, from: opts.from, to: opts.to });
  const { nDays } = panel;
  let peak = opts.cash;
  let bench = NaN;
  let benchBase = NaN;
  const equity: EquityRow[] = [];
  for (let i = 0; i < result.equity.length; i++) {
    const d = opts.from + i;
    const e = result.equity[i]!;
    peak = Math.max(peak, e);
    let benchmarkEquity: number | null = null;
    if (opts.benchmark !== null) {
      const c = panel.close[opts.benchmark * nDays + d]!;
      if (!Number.isNaN(c)) {
        if (Number.isNaN(benchBase)) benchBase = c;
        bench = c;
      }
      benchmarkEquity = Number.isNaN(bench) ? null : (opts.cash * bench) / benchBase;
    }
    equity.push({
      date: panel.dates[d]!,
      equity: e,
      drawdown: e / peak - 1,
      benchmark_equity: benchmarkEquity,
    });
  }
  const trades: TradeRow[] = result.trades.map((t) => ({
    symbol: panel.assets[t.asset]!.symbol,
    asset_type: panel.assets[t.asset]!.assetType,
    side: t.side,
    entry_date: panel.dates[t.entryDay]!,
    exit_date: panel.dates[t.exitDay]!,
    qty: t.qty,
    entry_price: t.entryPrice,
    exit_price: t.exitPrice,
    pnl: t.pnl,
    return_pct: t.returnPct,
    bars: t.bars,
    entry_rule: t.entryRule,
    exit_rule: t.exitRule,
  }));
  const last = result.equity[result.equity.length - 1] ?? opts.cash;
  return {
    summary: summarize(result.metrics, last),
    metrics: nullable(result.metrics),
    benchmark:
      opts.benchmark === null
        ? null
        : {
            symbol: panel.assets[opts.benchmark]!.symbol,
            metrics: nullable(buyAndHold(panel, opts.benchmark, opts.from, opts.to)),
          },
    equity,
    trades,
  };
}
