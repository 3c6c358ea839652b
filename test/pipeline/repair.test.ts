import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import { addDays } from '../../shared/calendar/index.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { MarketDataProvider } from '../../shared/providers/types.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE } from '../support/pipeline.ts';

const FROM = '2026-05-01';

describe('self-healing daily ingest', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const btc = (date: string) => ctx.sql<{ close: number; rsi_14: number; sma_20: number }[]>`
    select b.close, f.rsi_14, f.sma_20 from daily_bars b
    join assets a on a.id = b.asset_id and a.symbol = 'BTC'
    left join daily_features f on f.asset_id = b.asset_id and f.date = b.date
    where b.date = ${date}`;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    await drainUntilIdle(ctx);
  });
  afterAll(() => db.drop());

  it('repairs a revised bar and a missing bar in the window, and recomputes features downstream from there', async () => {
    const revised = addDays(TEST_DATE, -12);
    const missing = addDays(TEST_DATE, -6);
    const [original] = await btc(revised);
    const [originalGap] = await btc(missing);
    // A stored bar that the provider has since revised, and a day that never arrived.
    await ctx.sql`
      update daily_bars set close = close * 0.5, low = least(low, close * 0.5)
      where date = ${revised} and asset_id = (select id from assets where symbol = 'BTC')`;
    await ctx.sql`delete from daily_bars where date = ${missing} and asset_id = (select id from assets where symbol = 'BTC')`;
    await ctx.sql`update daily_features set rsi_14 = -1 where date >= ${revised}`;

    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'crypto_all' });
    await drainUntilIdle(ctx);

    expect((await btc(revised))[0]).toEqual(original);
    expect((await btc(missing))[0]).toEqual(originalGap);
    const runs = await listRuns(ctx, { date: TEST_DATE });
    const features = runs.find((r) => r.stage === 'features')!;
    expect(features.status).toBe('succeeded');
    const [stale] = await ctx.sql`select 1 from daily_features where rsi_14 = -1`;
    expect(stale).toBeUndefined();
    const ingest = runs.find((r) => r.stage === 'ingest')!;
    expect(ingest.summary.repaired_days).toBe(12);
  });

  it('leaves the chained stages on the run date alone when nothing before it changed', async () => {
    await ctx.sql`update daily_features set rsi_14 = -1 where date = ${addDays(TEST_DATE, -3)}`;
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'crypto_all' });
    await drainUntilIdle(ctx);
    const [untouched] = await ctx.sql`select count(*)::int as n from daily_features where rsi_14 = -1`;
    expect(untouched!.n).toBeGreaterThan(0);
  });

  it('records a trading day no provider delivers as a gap in the ledger, once', async () => {
    const missing = addDays(TEST_DATE, -4);
    const demo = ctx.providers('crypto')[0]!;
    const holey: MarketDataProvider = {
      ...demo,
      async fetchDailyBars(req) {
        const res = await demo.fetchDailyBars(req);
        return { ...res, bars: res.bars.filter((b) => !(b.symbol === 'SOL' && b.date === missing)) };
      },
    };
    ctx.providers = () => [holey];
    await ctx.sql`delete from daily_bars where date = ${missing} and asset_id = (select id from assets where symbol = 'SOL')`;
    for (let i = 0; i < 2; i++) {
      await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all' });
      await drainUntilIdle(ctx);
    }
    const gaps = await ctx.sql<{ symbol: string; date: string }[]>`
      select symbol, date from data_quality_ledger where kind = 'gap'`;
    expect(gaps).toEqual([{ symbol: 'SOL', date: missing }]);
  });
});
