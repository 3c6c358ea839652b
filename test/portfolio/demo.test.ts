import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPortfolios } from '../../scripts/local/demo-portfolios.ts';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { sentimentSeries } from '../../shared/news/sentiment/inputs.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { reconcilePortfolio } from '../../shared/portfolio/run/reconcile.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

// What `npm start` seeds on a first start: two paper portfolios with history, so the Portfolio page shows
// holdings, decisions, orders, fills and curves; the strategy one reconciles with its backtest.

describe('demo portfolios', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await triggerRun(ctx, {
      stage: 'pipeline',
      universe: 'equity_all',
      date: TEST_DATE,
      from: TEST_HISTORY_FROM,
    });
    await drainUntilIdle(ctx, 'demo-test');
  });
  afterAll(() => db?.drop());

  it('creates and trades both demo portfolios up to the date', async () => {
    const t0 = performance.now();
    await seedDemoPortfolios(ctx, TEST_DATE, () => {});
    const seconds = (performance.now() - t0) / 1000;
    const rows = await ctx.sql<{ id: string; last_date: string; fills: number; days: number }[]>`
      select p.id, p.last_date::text,
        (select count(*)::int from portfolio_fills f where f.portfolio_id = p.id) as fills,
        (select count(*)::int from portfolio_equity e where e.portfolio_id = p.id) as days
      from portfolios p order by id`;
    expect(rows.map((r) => [r.id, r.last_date])).toEqual([
      ['demo_rotation', TEST_DATE],
      ['demo_weekly', TEST_DATE],
    ]);
    for (const r of rows) expect(r.fills).toBeGreaterThan(0);
    expect(rows[0]!.days).toBeGreaterThan(150);
    expect(
      (await reconcilePortfolio(ctx.sql, 'demo_rotation', ctx.benchmarks, sentimentSeries(ctx))).differences,
    ).toEqual([]);
    // Start-up stays quick: a loaded CI machine still seeds both well under half a minute.
    expect(seconds).toBeLessThan(30);
  });
});
