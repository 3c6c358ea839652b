// /backtests: start a backtest of a stored strategy, list, read and compare them.
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';
import { UniverseId } from '../../domain/universes.ts';

/** A walk-forward split of the range: fold lengths in trading days of the panel. */
export const WalkForwardRequest = z
  .object({
    mode: z.enum(['rolling', 'anchored']),
    train: z.number().int().min(1).max(100_000),
    test: z.number().int().min(1).max(100_000),
    /** Days between folds' test windows, at least `test`. Default `test`. */
    step: z.number().int().min(1).max(100_000).optional(),
    /** Days between train and test; at least the strategy's lookback, which is the default. */
    embargo: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()
  .refine((w) => w.step === undefined || w.step >= w.test, {
    message: 'step must be at least test, so test windows do not overlap',
    path: ['step'],
  });

/** The walk-forward a backtest ran with, every default filled in (part of its identity). */
export const WalkForwardPlan = z.object({
  mode: z.enum(['rolling', 'anchored']),
  train: z.number(),
  test: z.number(),
  step: z.number(),
  embargo: z.number(),
});

/** Body of POST /backtests (and of the run-backtest function). */
export const BacktestRequest = z
  .object({
    strategy: z.string().regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'expected a snake_case strategy id'),
    /** Default: the latest stored version. */
    version: z.number().int().positive().optional(),
    /** A built-in strategy's parameters (`--set fast=5`); other strategies take none. */
    set: z.record(z.string().max(64), z.number()).optional(),
    universe: UniverseId,
    /** Default: the universe's first bar. */
    from: IsoDate.optional(),
    /** Default: the universe's last bar. */
    to: IsoDate.optional(),
    cash: z.number().positive().max(1e12).default(100_000),
    /** Also run walk-forward folds over the range and store their metrics and the out-of-sample summary. */
    walk_forward: WalkForwardRequest.optional(),
  })
  .strict()
  .refine((b) => b.from === undefined || b.to === undefined || b.from <= b.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type BacktestRequest = z.infer<typeof BacktestRequest>;

const Num = z.number().nullable();

/** The headline numbers, percentages in percent. */
export const BacktestSummary = z.object({
  trades: z.number(),
  return_pct: Num,
  cagr_pct: Num,
  max_drawdown_pct: Num,
  sharpe: Num,
  sortino: Num,
  win_rate_pct: Num,
  profit_factor: Num,
  expectancy_pct: Num,
  exposure_pct: Num,
  equity_final: z.number(),
});

/** A backtest as listed: what ran, its state and its headline numbers once it succeeded. */
export const BacktestView = z.object({
  id: z.number(),
  strategy: z.string(),
  strategy_version: z.number(),
  overrides: z.record(z.string(), z.number()),
  universe: z.string(),
  from: z.string(),
  to: z.string(),
  cash: z.number(),
  data_fingerprint: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  error: z.string().nullable(),
  run_id: z.number().nullable(),
  summary: BacktestSummary.nullable(),
  walk_forward: WalkForwardPlan.nullable(),
  timings: z.record(z.string(), z.number()),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type BacktestView = z.infer<typeof BacktestView>;

/** POST /backtests: the backtest (an existing one when the same spec, data and range already ran). */
export const BacktestStarted = BacktestView.extend({ created: z.boolean() });

/** GET /backtests. */
export const BacktestList = z.object({ items: z.array(BacktestView) });
export const BacktestListQuery = z
  .object({
    strategy: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

/** Path of /backtests/:id. */
export const BacktestPath = z
  .object({
    id: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 53 - 1),
  })
  .strict();

const Trade = z.object({
  symbol: z.string(),
  asset_type: AssetType,
  side: z.enum(['long', 'short']),
  entry_date: z.string(),
  exit_date: z.string(),
  qty: z.number(),
  entry_price: z.number(),
  exit_price: z.number(),
  pnl: z.number(),
  return_pct: z.number(),
  bars: z.number(),
  entry_rule: z.string(),
  exit_rule: z.string(),
});

/** One walk-forward fold: its train and test date ranges (inclusive) and each window's metrics. */
export const BacktestFold = z.object({
  train_from: z.string(),
  train_to: z.string(),
  test_from: z.string(),
  test_to: z.string(),
  train: z.record(z.string(), Num),
  test: z.record(z.string(), Num),
});

/** The test windows chained into one curve: its headline numbers and every metric. */
export const OutOfSample = z.object({ summary: BacktestSummary, metrics: z.record(z.string(), Num) });

/** GET /backtests/:id: every metric, the benchmark's, the equity curve with drawdown, and the trades. */
export const BacktestDetail = BacktestView.extend({
  metrics: z.record(z.string(), Num).nullable(),
  benchmark: z.object({ symbol: z.string(), metrics: z.record(z.string(), Num) }).nullable(),
  equity: z.array(
    z.object({ date: z.string(), equity: z.number(), drawdown: z.number(), benchmark_equity: Num }),
  ),
  trades: z.array(Trade),
  /** Empty without walk-forward. */
  folds: z.array(BacktestFold),
  oos: OutOfSample.nullable(),
});
export type BacktestDetail = z.infer<typeof BacktestDetail>;

/** Query of GET /backtests/compare. */
export const BacktestCompareQuery = z.object({ a: BacktestPath.shape.id, b: BacktestPath.shape.id }).strict();

/** GET /backtests/compare: both backtests' numbers side by side, and b's minus a's per metric. */
export const BacktestComparison = z.object({
  a: BacktestView.extend({ metrics: z.record(z.string(), Num).nullable() }),
  b: BacktestView.extend({ metrics: z.record(z.string(), Num).nullable() }),
  difference: z.record(z.string(), Num),
});
