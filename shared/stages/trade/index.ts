import { runLearning } from '../../learning/run.ts';
import type { StageHandler } from '../../pipeline/types.ts';
import { tradePortfolio } from '../../portfolio/run/index.ts';
import { TradeJob, TradeParams } from './input.ts';

/**
 * The trade stage, after review: every portfolio of the run's universe (or those named) brought up to the
 * run date, one job each; then the learning loop over the ledger (shared/learning/run.ts), the daily
 * run after the close. Idempotent: a portfolio already at the date records nothing new.
 */
export const tradeStage: StageHandler<TradeParams, TradeJob> = {
  stage: 'trade',
  description: 'step each paper portfolio of the universe to the date: fills, positions, equity, decisions',
  params: TradeParams,
  payload: TradeJob,
  async plan(ctx, run) {
    const rows = await ctx.sql<{ id: string }[]>`
      select id from portfolios where universe = ${run.universe}
        and (${run.params.portfolios ?? null}::text[] is null or id = any(${run.params.portfolios ?? null}::text[]))
      order by id`;
    return rows.map((r) => ({ portfolio: r.id }));
  },
  async process(ctx, run, job) {
    const out = await tradePortfolio(ctx, job.portfolio, run.run_date);
    return {
      counts: { portfolios: 1, days: out.days, fills: out.fills, decisions: out.decisions },
      assetErrors: [],
    };
  },
  async afterRun(ctx, run) {
    const out = await runLearning(ctx.sql, `${run.run_date}T00:00:00.000Z`, { benchmarks: ctx.benchmarks });
    return {
      learning_harvested: out.harvested,
      learning_trades: out.trades,
      learning_ghosts: out.ghosts,
      learning_rules_proposed: out.proposed,
    };
  },
};
