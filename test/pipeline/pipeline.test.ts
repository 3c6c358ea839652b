import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import { tradingDays } from '../../shared/calendar/index.ts';
import { STAGES } from '../../shared/domain/stages.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { TestDatabase } from '../support/db.ts';
import {
  createPipelineFixture,
  seedAndRun,
  snapshot,
  TEST_DATE,
  TEST_HISTORY_FROM,
} from '../support/pipeline.ts';

describe('the daily pipeline, end to end on the embedded Postgres', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
  });
  afterAll(() => db.drop());

  it('runs every stage for both universes to success, chained through the queue', async () => {
    const runs = await listRuns(ctx, { date: TEST_DATE });
    // Every stage of the chain (STAGES, ingest through review and on) ran for both universes.
    expect(runs.map((r) => `${r.stage}/${r.universe}/${r.status}`).sort()).toEqual(
      STAGES.flatMap((s) => [`${s}/crypto_all/succeeded`, `${s}/equity_all/succeeded`]).sort(),
    );
    for (const r of runs) expect(r.jobs.queued + r.jobs.running + r.jobs.failed).toBe(0);
  });

  it('stores one bar per asset and trading day: every day for crypto, NYSE days for equities', async () => {
    const counts = await ctx.sql<{ asset_type: string; assets: number; bars: number }[]>`
      select a.asset_type, count(distinct a.id) as assets, count(*) as bars
      from daily_bars b join assets a on a.id = b.asset_id group by a.asset_type order by 1`;
    const cryptoDays = tradingDays('crypto', TEST_HISTORY_FROM, TEST_DATE).length;
    const equityDays = tradingDays('equity', TEST_HISTORY_FROM, TEST_DATE).length;
    const [crypto, equity] = counts;
    expect(crypto!.assets).toBeGreaterThanOrEqual(25);
    expect(equity!.assets).toBeGreaterThanOrEqual(50);
    expect(crypto!.bars).toBe(crypto!.assets * cryptoDays);
    expect(equity!.bars).toBe(equity!.assets * equityDays);
  });

  it('computes features for the whole history, with the 200-day average defined on the run date', async () => {
    const [row] = await ctx.sql<{ assets: number; with_sma200: number; with_rsi: number }[]>`
      select count(*) as assets, count(sma_200) as with_sma200, count(rsi_14) as with_rsi
      from daily_features where date = ${TEST_DATE}`;
    const [assets] = await ctx.sql<{ n: number }[]>`select count(*) as n from assets`;
    expect(row!.assets).toBe(assets!.n);
    expect(row!.with_sma200).toBe(assets!.n);
    expect(row!.with_rsi).toBe(assets!.n);
    const [first] = await ctx.sql<{ sma_20: number | null }[]>`
      select sma_20 from daily_features f join assets a on a.id = f.asset_id
      where a.symbol = 'BTC' order by date limit 1`;
    expect(first!.sma_20).toBeNull();
  });

  it('records signal facts with evidence and reviews the strongest candidates with the rules reviewer', async () => {
    const facts = await ctx.sql<{ template: string; strength: number; evidence: Record<string, unknown> }[]>`
      select template, strength, evidence from daily_signal_facts where date = ${TEST_DATE}`;
    expect(facts.length).toBeGreaterThan(0);
    for (const f of facts) {
      expect(f.strength).toBeGreaterThanOrEqual(0);
      expect(f.strength).toBeLessThanOrEqual(100);
      expect(Object.keys(f.evidence).length).toBeGreaterThan(0);
    }
    const reviews = await ctx.sql<{ model: string; status: string; asset_id: number }[]>`
      select model, status, asset_id from asset_ai_reviews where as_of_date = ${TEST_DATE}`;
    expect(reviews.length).toBeGreaterThan(0);
    expect(reviews.length).toBeLessThanOrEqual(20); // limit 10 per universe
    expect(new Set(reviews.map((r) => r.model))).toEqual(new Set(['rules']));
    // Only assets with a signal that day are reviewed.
    const [unsignalled] = await ctx.sql`
      select 1 from asset_ai_reviews r where as_of_date = ${TEST_DATE} and not exists (
        select 1 from daily_signal_facts f where f.asset_id = r.asset_id and f.date = r.as_of_date)`;
    expect(unsignalled).toBeUndefined();
  });

  it('evaluates signals over the whole loaded history, so every chart has its markers', async () => {
    const [span] = await ctx.sql<{ first: string; days: number }[]>`
      select min(date)::text as first, count(distinct date) as days from daily_signal_facts`;
    expect(span!.first < '2025-10-01').toBe(true);
    expect(span!.days).toBeGreaterThan(200);
    // A cross needs the previous day: nothing fires on an asset's first stored day.
    const [onFirstDay] = await ctx.sql`
      select 1 from daily_signal_facts x
      where x.date = (select min(date) from daily_features f where f.asset_id = x.asset_id)
        and x.template like '%cross%'`;
    expect(onFirstDay).toBeUndefined();
  });

  it('converges to identical rows when the whole pipeline runs again for the same date', async () => {
    const before = await snapshot(ctx);
    const news = () => ctx.sql`select article_id, asset_id, symbol, sources from news_mentions order by 1, 2`;
    const newsBefore = await news();
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE });
    await drainUntilIdle(ctx, 'test-worker-2');
    const after = await snapshot(ctx);
    expect(after.bars).toEqual(before.bars);
    expect(after.features).toEqual(before.features);
    expect(after.facts).toEqual(before.facts);
    expect(after.reviews).toEqual(before.reviews);
    // The demo news was scored (lexicon, no key here) and aggregated; a rerun scores nothing new.
    expect(before.sentiment.length).toBeGreaterThan(0);
    expect(before.dailySentiment.length).toBeGreaterThan(0);
    expect(after.sentiment).toEqual(before.sentiment);
    expect(after.dailySentiment).toEqual(before.dailySentiment);
    expect(await news()).toEqual(newsBefore);
    const runs = await listRuns(ctx, { date: TEST_DATE });
    expect(runs).toHaveLength(2 * STAGES.length);
  });

  it('gives the same features from a one-day run as from the history backfill', async () => {
    const cols = 'asset_id, sma_200, ema_200, rsi_14, adx_14, macd, obv, atr_14';
    const before = await ctx.sql.unsafe(
      `select ${cols} from daily_features where date = '${TEST_DATE}' order by 1`,
    );
    await ctx.sql`delete from daily_features where date = ${TEST_DATE}`;
    await triggerRun(ctx, { stage: 'features', date: TEST_DATE });
    await drainUntilIdle(ctx, 'test-worker-3');
    const after = await ctx.sql.unsafe(
      `select ${cols} from daily_features where date = '${TEST_DATE}' order by 1`,
    );
    expect(after).toEqual(before);
  });
});
