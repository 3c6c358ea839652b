import type { Sql } from '../../db/client.ts';
import { loadPanel } from '../../engine/load.ts';
import { backtestReport } from '../../engine/report.ts';
import { type WalkForwardPlan, walkForwardReport } from '../../engine/walk-forward-report.ts';
import { AppError, errorMessage } from '../../errors/index.ts';
import { sentimentSeries } from '../../news/sentiment/inputs.ts';
import type { JobOutcome, PipelineContext, StageHandler } from '../../pipeline/types.ts';
import { parseTemplate, type SignalTemplate } from '../../signals/schema.ts';
import { builtinSpec } from '../../strategy/builtins/index.ts';
import type { StrategySpec } from '../../strategy/spec.ts';
import { loadStrategy } from '../../strategy/store.ts';
import { BacktestJob, BacktestParams } from './input.ts';

/** What a backtest row says it runs: the stage reads it, the API extends it with its results. */
export interface BacktestKey {
  id: number;
  strategy_id: string;
  strategy_version: number;
  overrides: Record<string, number>;
  universe: string;
  from_date: string;
  to_date: string;
  cash: number;
  walk_forward: WalkForwardPlan | null;
}

/** The spec a backtest runs: the stored version, or a built-in rebuilt with the backtest's parameters. */
export async function backtestSpec(
  sql: Sql,
  strategy: string,
  version: number | undefined,
  overrides: Record<string, number>,
): Promise<StrategySpec> {
  const stored = await loadStrategy(sql, strategy, version);
  if (Object.keys(overrides).length === 0) return stored.spec;
  if (!stored.builtin)
    throw new AppError('invalid_input', `strategy "${strategy}" is not built-in and takes no parameters`, {
      retryable: false,
    });
  return { ...builtinSpec(strategy, overrides), version: stored.version };
}

/**
 * The latest version of every stored template by id, disabled ones included (a strategy may still read
 * one's stored facts), for the lookback of a spec that reads templates not built in.
 */
export async function templatesById(sql: Sql): Promise<Map<string, SignalTemplate>> {
  const rows = await sql<{ definition: unknown }[]>`
    select distinct on (id) definition from signal_templates order by id, version desc`;
  return new Map(rows.map((r) => parseTemplate(r.definition)).map((t) => [t.id, t]));
}

/**
 * Runs one backtest and replaces its trades, equity curve and metrics in one transaction, so a rerun
 * converges to the same rows and a failure leaves the previous ones.
 */
async function runOne(ctx: PipelineContext, id: number): Promise<JobOutcome> {
  const { sql } = ctx;
  const [bt] = await sql<BacktestKey[]>`
    select id, strategy_id, strategy_version, overrides, universe, from_date::text as from_date,
      to_date::text as to_date, cash, walk_forward
    from backtests where id = ${id}`;
  if (!bt) throw new AppError('not_found', `no backtest ${id}`, { retryable: false });
  await sql`update backtests set status = 'running' where id = ${id}`;
  try {
    const spec = await backtestSpec(sql, bt.strategy_id, bt.strategy_version, bt.overrides);
    const t0 = performance.now();
    const loaded = await loadPanel(
      sql,
      { spec, universe: bt.universe, from: bt.from_date, to: bt.to_date },
      { benchmarks: ctx.benchmarks, sentiment: sentimentSeries(ctx) },
    );
    const t1 = performance.now();
    const report = backtestReport(spec, loaded.panel, {
      from: loaded.from,
      to: loaded.to,
      cash: bt.cash,
      benchmark: loaded.benchmark,
    });
    const t2 = performance.now();
    // The folds run over the same panel; templates not built in are needed for the lookback only.
    const walk = bt.walk_forward
      ? walkForwardReport(spec, loaded.panel, {
          plan: bt.walk_forward,
          from: loaded.from,
          to: loaded.to,
          cash: bt.cash,
          templates: await templatesById(sql),
        })
      : null;
    const t3 = performance.now();
    const timings = {
      load_ms: Math.round(t1 - t0),
      simulate_ms: Math.round(t2 - t1),
      ...(walk ? { walk_forward_ms: Math.round(t3 - t2) } : {}),
      assets: loaded.panel.nAssets,
      days: loaded.to - loaded.from + 1,
    };
    await sql.begin(async (tx) => {
      await tx`delete from backtest_trades where backtest_id = ${id}`;
      await tx`delete from backtest_equity where backtest_id = ${id}`;
      const trades = report.trades.map((t, seq) => ({ backtest_id: id, seq, ...t }));
      for (let i = 0; i < trades.length; i += 5000)
        await tx`insert into backtest_trades ${tx(trades.slice(i, i + 5000))}`;
      const equity = report.equity.map((e) => ({ backtest_id: id, ...e }));
      for (let i = 0; i < equity.length; i += 5000)
        await tx`insert into backtest_equity ${tx(equity.slice(i, i + 5000))}`;
      await tx`
        update backtests
        set status = 'succeeded', error = null, metrics = ${tx.json(report.metrics as never)},
          benchmark = ${tx.json(report.benchmark as never)}, timings = ${tx.json(timings)},
          folds = ${walk ? tx.json(walk.folds as never) : null}, oos = ${walk ? tx.json(walk.oos as never) : null},
          finished_at = now()
        where id = ${id}`;
    });
    return {
      counts: {
        backtests: 1,
        trades: report.trades.length,
        days: report.equity.length,
        ...(walk ? { folds: walk.folds.length } : {}),
      },
      assetErrors: [],
    };
  } catch (err) {
    const message = err instanceof AppError ? `${err.code}: ${errorMessage(err)}` : errorMessage(err);
    await sql`update backtests set status = 'failed', error = ${message}, finished_at = now() where id = ${id}`;
    throw err;
  }
}

/** The backtest stage: one job per backtest (one panel load, one simulation), results stored idempotently. */
export const backtestStage: StageHandler<BacktestParams, BacktestJob> = {
  stage: 'backtest',
  description: 'simulate a strategy over a universe and range; store trades, equity and metrics',
  params: BacktestParams,
  payload: BacktestJob,
  async plan(_ctx, run) {
    return [{ backtest_id: run.params.backtest_id }];
  },
  process(ctx, _run, job) {
    return runOne(ctx, job.backtest_id);
  },
};
