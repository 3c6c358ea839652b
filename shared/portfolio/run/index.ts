import type { Sql } from '../../db/client.ts';
import { AppError } from '../../errors/index.ts';
import type { PipelineContext } from '../../pipeline/types.ts';
import {
  getPortfolio,
  killSwitch,
  type LedgerDay,
  type PortfolioRow,
  writeLedgerDay,
} from '../ledger/store.ts';
import { stepRebalancePortfolio } from './rebalance.ts';
import { stepStrategyPortfolio } from './strategy.ts';

/** What one portfolio's trade run did. */
export interface TradeOutcome {
  portfolio: string;
  /** The last day the ledger now holds (unchanged when there was nothing new). */
  lastDate: string | null;
  days: number;
  fills: number;
  decisions: number;
  trading: boolean;
}

/** Whether a portfolio may place new orders now: the kill switch released and the portfolio enabled. */
export async function tradingAllowed(ctx: PipelineContext, p: PortfolioRow): Promise<boolean> {
  return p.trading_enabled && !(await killSwitch(ctx.sql)).killed;
}

/**
 * Brings one portfolio's ledger up to `date`: a strategy portfolio is stepped by the engine day by day, a
 * rebalance portfolio fills and sends orders through its paper broker. The work reads outside any
 * transaction (the panel loader uses the pool's connections side by side); the result is written in one
 * transaction under the portfolio's row lock, and only if no other run moved the portfolio and the kill
 * switch did not change meanwhile (else a retryable conflict: the retry finds the day done). Running it
 * again for the same date changes nothing.
 */
export async function tradePortfolio(ctx: PipelineContext, id: string, date: string): Promise<TradeOutcome> {
  const p = await getPortfolio(ctx.sql, id);
  const trading = await tradingAllowed(ctx, p);
  const opts = { trading, benchmarks: ctx.benchmarks };
  const day: LedgerDay | null =
    p.kind === 'strategy'
      ? await stepStrategyPortfolio(ctx.sql, p, date, opts)
      : await stepRebalancePortfolio(ctx.sql, p, date, { ...opts, now: () => new Date() });
  if (day)
    await ctx.sql.begin(async (t) => {
      // A transaction is a Sql for every query these helpers make (as in shared/pipeline/queue.ts).
      const tx = t as unknown as Sql;
      const now = await getPortfolio(tx, id, true);
      if (now.last_date !== p.last_date || (await tradingAllowed({ ...ctx, sql: tx }, now)) !== trading)
        throw new AppError(
          'conflict',
          `portfolio "${id}" changed while its trade run for ${date} ran; run it again`,
          {
            retryable: true,
          },
        );
      await writeLedgerDay(tx, p, day);
    });
  return {
    portfolio: id,
    lastDate: day?.lastDate ?? p.last_date,
    days: day?.equity.length ?? 0,
    fills: day?.fills.length ?? 0,
    decisions: day?.decisions.length ?? 0,
    trading,
  };
}
