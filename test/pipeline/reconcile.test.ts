import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { MarketDataProvider } from '../../shared/providers/types.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE } from '../support/pipeline.ts';

describe('provider reconciliation', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
  });
  afterAll(() => db.drop());

  it('records where a second provider disagrees on the run date (an unapplied 2:1 split), and nothing else', async () => {
    const demo = ctx.providers('crypto')[0]!;
    const secondary: MarketDataProvider = {
      ...demo,
      id: 'secondary',
      async fetchDailyBars(req) {
        const res = await demo.fetchDailyBars(req);
        const bars = res.bars.map((b) =>
          b.symbol === 'ETH'
            ? {
                ...b,
                open: Number(b.open) / 2,
                high: Number(b.high) / 2,
                low: Number(b.low) / 2,
                close: Number(b.close) / 2,
              }
            : b,
        );
        return { ...res, bars };
      },
    };
    ctx.providers = () => [demo, secondary];
    ctx.reconcile = true;
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all', from: '2026-11-01' });
    await drainUntilIdle(ctx);
    const rows = await ctx.sql<{ symbol: string; source: string; reason: string; date: string }[]>`
      select symbol, source, reason, date from data_quality_ledger where kind = 'reconciliation'`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ symbol: 'ETH', source: 'demo/secondary', date: TEST_DATE });
    expect(rows[0]!.reason).toMatch(/^close .* \(demo\) vs .* \(secondary\): 100\.0% apart$/);
  });

  it('lets signal evaluation skip an asset whose bar that day is flagged, when configured', async () => {
    const demo = ctx.providers('crypto')[0]!;
    ctx.providers = () => [demo];
    ctx.reconcile = false;
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'crypto_all', from: '2026-03-01' });
    await drainUntilIdle(ctx);
    const [fact] = await ctx.sql<{ asset_id: number; template: string }[]>`
      select asset_id, template from daily_signal_facts where date = ${TEST_DATE} limit 1`;
    expect(fact).toBeDefined();
    await ctx.sql`
      insert into data_quality_ledger (kind, source, asset_id, symbol, asset_type, date, raw, reason)
      values ('flagged', 'test', ${fact!.asset_id}, 'X', 'crypto', ${TEST_DATE}, '{}', 'close jumped')`;
    const factsOf = () =>
      ctx.sql`select 1 from daily_signal_facts where asset_id = ${fact!.asset_id} and date = ${TEST_DATE}`;

    ctx.skipFlagged = true;
    await triggerRun(ctx, { stage: 'signals', date: TEST_DATE, universe: 'crypto_all' });
    await drainUntilIdle(ctx);
    expect(await factsOf()).toHaveLength(0);

    ctx.skipFlagged = false;
    await triggerRun(ctx, { stage: 'signals', date: TEST_DATE, universe: 'crypto_all' });
    await drainUntilIdle(ctx);
    expect((await factsOf()).length).toBeGreaterThan(0);
  });
});
