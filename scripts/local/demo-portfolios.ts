import { addDays, tradingDays } from '../../shared/calendar/index.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createPortfolio } from '../../shared/portfolio/ledger/store.ts';
import { tradePortfolio } from '../../shared/portfolio/run/index.ts';

/** The demo's paper portfolios: a strategy stepped by the engine and the weekly composite-score rebalance. */
const DEMO = {
  strategy: { id: 'demo_rotation', strategy: 'momentum_rotation', days: 180 },
  rebalance: { id: 'demo_weekly', days: 60 },
  universe: 'equity_all',
  cash: 100_000,
};

/**
 * Creates the demo's paper portfolios on the first start and trades them up to `date`, so the Portfolio
 * page has content: the strategy portfolio catches up its 180 days in one trade run (one panel load), the
 * rebalance portfolio runs day by day over its 60 (its paper broker fills each day's orders at the next
 * open). Later days come from the daily trade stage after review.
 */
export async function seedDemoPortfolios(
  ctx: PipelineContext,
  date: string,
  log: (line: string) => void,
): Promise<void> {
  const days = tradingDays('equity', addDays(date, -400), date);
  const startOf = (n: number) => days[Math.max(0, days.length - n)]!;
  log(
    `${DEMO.universe}: paper portfolios ${DEMO.strategy.id} (${DEMO.strategy.strategy}) and ${DEMO.rebalance.id} (weekly top 10)`,
  );
  await createPortfolio(ctx.sql, {
    id: DEMO.strategy.id,
    name: 'Demo: momentum rotation on paper',
    strategy: DEMO.strategy.strategy,
    universe: DEMO.universe,
    starting_cash: DEMO.cash,
    start_date: startOf(DEMO.strategy.days),
  });
  await tradePortfolio(ctx, DEMO.strategy.id, date);
  await createPortfolio(ctx.sql, {
    id: DEMO.rebalance.id,
    name: 'Demo: weekly top 10 by composite score',
    rule: { every: 'weekly', top_n: 10, weighting: 'inverse_vol' },
    universe: DEMO.universe,
    starting_cash: DEMO.cash,
    start_date: startOf(DEMO.rebalance.days),
    costs: { fee_rate: 0.0005, fee_fixed: 0, slippage_rate: 0.0005 },
  });
  for (const d of days.slice(-DEMO.rebalance.days)) await tradePortfolio(ctx, DEMO.rebalance.id, d);
}
