import type { Sql } from '../../db/client.ts';
import { AppError } from '../../errors/index.ts';
import { sentimentSeries } from '../../news/sentiment/inputs.ts';
import type { PipelineContext } from '../../pipeline/types.ts';
import { stepWeekdayPortfolio } from '../../search/weekday/trade.ts';
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

/** Why a portfolio may not place new orders now (the kill switch and its cause, a pause), or null when it may. */
export async function tradingHalt(sql: Sql, p: PortfolioRow): Promise<string | null> {
  const kill = await killSwitch(sql);
  if (kill.killed) return `the kill switch is engaged (${kill.reason ?? 'no reason given'})`;
  return p.trading_enabled ? null : `portfolio "${p.id}" is paused`;
}

/**
 * Brings one portfolio's ledger up to `date`: a strategy portfolio is stepped by the engine day by day, a
 * rebalance portfolio fills and sends orders through its broker (paper, Alpaca, IBKR). The portfolio's row
 * lock is held for the whole run, so runs of one portfolio (two days drained side by side, the kill
 * switch) take turns (a key-share lock still lets an order be written ahead of its send, external.ts);
 * the work reads through the pool (the panel loader uses its connections side by side) and the result is
 * written in the locked transaction. Running it again for the same date changes nothing.
 */
export async function tradePortfolio(ctx: PipelineContext, id: string, date: string): Promise<TradeOutcome> {
  return ctx.sql.begin(async (t) => {
    // A transaction is a Sql for every query these helpers make (as in shared/pipeline/queue.ts).
    const tx = t as unknown as Sql;
    const p = await getPortfolio(tx, id, true);
    const halt = await tradingHalt(tx, p);
    const trading = halt === null;
    // The score and the strategy panel read the configured scorer's series, as the backtest stage does.
    const opts = { trading, benchmarks: ctx.benchmarks, sentiment: sentimentSeries(ctx) };
    if (p.kind === 'strategy' && p.broker !== 'paper')
      throw new AppError(
        'invalid_input',
        `portfolio "${id}" follows a strategy: it trades on the paper broker only (its fills are the engine's, to reconcile with the backtest)`,
        { retryable: false },
      );
    const day: LedgerDay | null =
      p.kind === 'strategy'
        ? await stepStrategyPortfolio(ctx.sql, p, date, opts)
        : p.kind === 'weekday'
          ? await stepWeekdayPortfolio(ctx, p, date, opts)
          : await stepRebalancePortfolio(ctx.sql, p, date, {
              ...opts,
              ...(halt ? { halt } : {}),
              now: () => new Date(),
              brokerEnv: ctx.brokerEnv ?? {},
            });
    if (day) await writeLedgerDay(tx, p, day);
    return {
      portfolio: id,
      lastDate: day?.lastDate ?? p.last_date,
      days: day?.equity.length ?? 0,
      fills: day?.fills.length ?? 0,
      decisions: day?.decisions.length ?? 0,
      trading,
    };
  });
}
