import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { tradingDays } from '../../shared/calendar/index.ts';
import { sentimentSeries } from '../../shared/news/sentiment/inputs.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createPortfolio, setKillSwitch } from '../../shared/portfolio/ledger/store.ts';
import { tradePortfolio } from '../../shared/portfolio/run/index.ts';
import { reconcilePortfolio } from '../../shared/portfolio/run/reconcile.ts';
import { saveStrategy } from '../../shared/strategy/store.ts';
import type { TestDatabase } from '../support/db.ts';
import { ingestUniverse } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

// Done-when of issue #15: a paper portfolio trades the demo market for every day of its history through
// the daily `trade` stage (the queue, one run per day), and its ledger reconciles with a backtest of the
// same strategy over the same days with no difference; a day with the kill switch engaged is a difference
// the reconciliation names with its cause.

/** Moving-average entries on both sides, with every exit kind and costs, over several positions. */
const PAPER_SPEC = {
  id: 'paper_swing',
  name: 'Paper swing',
  description: 'SMA 5/20 crosses, 5% stop, 8% target in two steps, 4% trail, fees and slippage.',
  type: 'TF',
  asset_types: ['equity'],
  entry: {
    long: {
      ma_cross: { fast: { kind: 'sma', period: 5 }, slow: { kind: 'sma', period: 20 }, cross: 'above' },
    },
    short: {
      ma_cross: { fast: { kind: 'sma', period: 5 }, slow: { kind: 'sma', period: 20 }, cross: 'below' },
    },
    max_positions: 6,
  },
  exit: {
    stop: { pct: 0.05 },
    targets: [
      { pct: 0.04, fraction: 0.5 },
      { pct: 0.08, fraction: 0.5 },
    ],
    trailing: { pct: 0.04, arm_after_pct: 0.02 },
  },
  sizing: { mode: 'fixed_fraction', fraction: 0.15 },
  costs: { fee_rate: 0.001, fee_fixed: 1, slippage_rate: 0.0005 },
};

const START = '2026-06-01';

describe('paper trading a strategy through the daily trade stage', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await ingestUniverse(ctx, 'equity_all', TEST_DATE, TEST_HISTORY_FROM);
    await saveStrategy(ctx.sql, PAPER_SPEC);
    await createPortfolio(ctx.sql, {
      id: 'paper_swing',
      name: 'Paper swing on the demo equities',
      strategy: 'paper_swing',
      universe: 'equity_all',
      starting_cash: 100_000,
      start_date: START,
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('trades every day through the stage and reconciles with the backtest line by line', async () => {
    const days = tradingDays('equity', START, TEST_DATE);
    for (const date of days) await triggerRun(ctx, { stage: 'trade', universe: 'equity_all', date });
    await drainUntilIdle(ctx, 'trade-test');
    const runs = await ctx.sql<{ status: string }[]>`select status from pipeline_runs where stage = 'trade'`;
    expect(runs).toHaveLength(days.length);
    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(['succeeded']));

    const equity = await ctx.sql`select date::text from portfolio_equity where portfolio_id = 'paper_swing'`;
    expect(equity).toHaveLength(days.length);
    const rec = await reconcilePortfolio(ctx.sql, 'paper_swing', ctx.benchmarks, sentimentSeries(ctx));
    expect(rec.fills.paper).toBeGreaterThan(20);
    expect(rec.differences).toEqual([]);
    expect(rec.fills.paper).toBe(rec.fills.backtest);
    // The ledger sums its positions in its own order: equal up to the last few ulps.
    expect(rec.equity.paper! / rec.equity.backtest! - 1).toBeLessThan(1e-12);
    // Exits of every kind went through the ledger, with fees.
    const rules = await ctx.sql<
      { rule: string }[]
    >`select distinct rule from portfolio_fills where portfolio_id = 'paper_swing'`;
    expect(rules.map((r) => r.rule)).toEqual(expect.arrayContaining(['exit:stop', 'exit:target']));
  });

  it('records nothing new when a day is traded again', async () => {
    const before = await ctx.sql`
      select (select count(*) from portfolio_fills) f, (select count(*) from portfolio_equity) e,
        (select cash from portfolios where id = 'paper_swing') c`;
    const out = await tradePortfolio(ctx, 'paper_swing', TEST_DATE);
    expect(out.days).toBe(0);
    const after = await ctx.sql`
      select (select count(*) from portfolio_fills) f, (select count(*) from portfolio_equity) e,
        (select cash from portfolios where id = 'paper_swing') c`;
    expect(after).toEqual(before);
  });

  it('steps with no new orders while the kill switch is engaged, and the reconciliation names the cause', async () => {
    await createPortfolio(ctx.sql, {
      id: 'killed_swing',
      name: 'Stopped by the kill switch for a while',
      strategy: 'paper_swing',
      universe: 'equity_all',
      starting_cash: 100_000,
      start_date: START,
    });
    const days = tradingDays('equity', START, TEST_DATE);
    const cut = Math.floor(days.length / 2);
    for (const [k, date] of days.entries()) {
      if (k === cut) await setKillSwitch(ctx.sql, true, 'test: stop everything', 'test');
      if (k === cut + 5) await setKillSwitch(ctx.sql, false, null, 'test');
      await tradePortfolio(ctx, 'killed_swing', date);
    }
    const disabled = await ctx.sql`
      select date from portfolio_decisions where portfolio_id = 'killed_swing' and rule = 'trading_disabled'`;
    expect(disabled).toHaveLength(5);
    const rec = await reconcilePortfolio(ctx.sql, 'killed_swing', ctx.benchmarks, sentimentSeries(ctx));
    expect(rec.differences.length).toBeGreaterThan(0);
    for (const d of rec.differences) {
      expect(d.date >= days[cut]!).toBe(true);
      expect(d.cause).toMatch(/trading was disabled/);
    }
  });
});
