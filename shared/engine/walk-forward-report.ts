import type { SignalTemplate } from '../signals/schema.ts';
import type { StrategySpec } from '../strategy/spec.ts';
import type { Panel } from './panel.ts';
import { type BacktestSummary, nullable, summarize } from './report.ts';
import { walkForward } from './walk-forward.ts';

/** A walk-forward with every default filled in: what a stored backtest ran with. */
export interface WalkForwardPlan {
  mode: 'rolling' | 'anchored';
  train: number;
  test: number;
  step: number;
  embargo: number;
}

/** One fold in stored and printed form: dates, not panel days; NaN metrics as null. */
export interface FoldReport {
  train_from: string;
  train_to: string;
  test_from: string;
  test_to: string;
  train: Record<string, number | null>;
  test: Record<string, number | null>;
}

/** A walk-forward's folds and its out-of-sample summary, ready to store or print. */
export interface WalkForwardReport {
  folds: FoldReport[];
  oos: { summary: BacktestSummary; metrics: Record<string, number | null> };
}

/** Runs the plan's folds over panel days `from`..`to` and formats them with dates. */
export function walkForwardReport(
  spec: StrategySpec,
  panel: Panel,
  opts: {
    plan: WalkForwardPlan;
    from: number;
    to: number;
    cash: number;
    templates?: ReadonlyMap<string, SignalTemplate>;
  },
): WalkForwardReport {
  const res = walkForward(spec, panel, {
    ...opts.plan,
    from: opts.from,
    to: opts.to,
    cash: opts.cash,
    ...(opts.templates ? { templates: opts.templates } : {}),
  });
  const date = (d: number) => panel.dates[d]!;
  return {
    folds: res.folds.map((f) => ({
      train_from: date(f.trainFrom),
      train_to: date(f.trainTo),
      test_from: date(f.testFrom),
      test_to: date(f.testTo),
      train: nullable(f.train),
      test: nullable(f.test),
    })),
    oos: { summary: summarize(res.oos, res.oosEquity.at(-1)!), metrics: nullable(res.oos) },
  };
}
