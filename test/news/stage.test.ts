import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { createContext } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createDemoProvider } from '../../shared/providers/demo/index.ts';
import { upsertAssets } from '../../shared/universes/index.ts';
import { TEST_KEYS } from '../support/auth.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startFakeMarketaux } from '../support/fake-news/marketaux.ts';
import type { FakeProviderServer } from '../support/fake-providers/server.ts';

const DATE = '2026-11-20';

async function newsRows(ctx: PipelineContext) {
  return {
    articles:
      await ctx.sql`select id, url_key, title, published_at, source from public.news_articles order by id`,
    sources:
      await ctx.sql`select source, provider_id, article_id from public.news_article_sources order by 1, 2`,
    mentions: await ctx.sql`select article_id, asset_id, symbol, provider_sentiment, match_score, sources
      from public.news_mentions order by 1, 2`,
  };
}

describe('news stage', () => {
  let db: TestDatabase;
  let fake: FakeProviderServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    fake = await startFakeMarketaux({ apiKey: 'mx-key-123456', dailyRequests: 1 });
  });
  afterAll(async () => {
    await fake.close();
    await db.drop();
  });

  it('stores the demo news of the universe for the run date and the days before, and converges on a rerun', async () => {
    const ctx = createContext({ DATABASE_URL: db.url, ...TEST_KEYS }, { sql: db.sql });
    const demo = createDemoProvider();
    await upsertAssets(ctx.sql, [
      ...(await demo.listAssets!('equity')),
      ...(await demo.listAssets!('crypto')),
    ]);
    const [run] = await triggerRun(ctx, { stage: 'news', date: DATE, universe: 'equity_all' });
    await drainUntilIdle(ctx, 'news-test');
    const [done] = await ctx.sql`select status, summary from public.pipeline_runs where id = ${run!.id}`;
    expect(done!.status).toBe('succeeded');
    expect(done!.summary.articles).toBeGreaterThan(40);
    const first = await newsRows(ctx);
    // Published from two days before the run date to the run date, every equity of the demo covered.
    for (const a of first.articles) {
      expect(a.published_at.toISOString() >= '2026-11-18').toBe(true);
      expect(a.published_at.toISOString() < '2026-11-21').toBe(true);
    }
    const assets = new Set(first.mentions.map((m) => m.asset_id));
    // About 0.4 articles per equity and weekday: most of the demo's equities have news in three days.
    expect(assets.size).toBeGreaterThan(25);

    await triggerRun(ctx, { stage: 'news', date: DATE, universe: 'equity_all' });
    await drainUntilIdle(ctx, 'news-test');
    expect(await newsRows(ctx)).toEqual(first);
  });

  it('records a spent Marketaux quota and provider failures per asset, keeps the demo news, and ends partial', async () => {
    const ctx = createContext(
      {
        DATABASE_URL: db.url,
        ...TEST_KEYS,
        STRATOS_NEWS_PROVIDERS: 'marketaux,demo',
        MARKETAUX_API_KEY: 'mx-key-123456',
        MARKETAUX_BASE_URL: fake.baseUrl,
      },
      { sql: db.sql },
    );
    const [run] = await triggerRun(ctx, { stage: 'news', date: DATE, universe: 'equity_all' });
    await drainUntilIdle(ctx, 'news-test');
    const [done] = await ctx.sql`select status, summary from public.pipeline_runs where id = ${run!.id}`;
    expect(done!.status).toBe('partial');
    expect(done!.summary.quota_exhausted).toBeGreaterThanOrEqual(1);
    const errors = await ctx.sql`select error from public.pipeline_asset_errors where run_id = ${run!.id}`;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => /quota|402/.test(e.error))).toBe(true);
    expect(JSON.stringify(errors)).not.toContain('mx-key-123456');
  });

  it('plans nothing for a universe no configured provider serves', async () => {
    const ctx = createContext(
      {
        DATABASE_URL: db.url,
        ...TEST_KEYS,
        STRATOS_NEWS_PROVIDERS: 'marketaux',
        MARKETAUX_API_KEY: 'mx-key-123456',
      },
      { sql: db.sql },
    );
    const [run] = await triggerRun(ctx, { stage: 'news', date: '2026-11-19', universe: 'crypto_all' });
    await drainUntilIdle(ctx, 'news-test');
    const [done] = await ctx.sql`select status, summary from public.pipeline_runs where id = ${run!.id}`;
    expect(done!.status).toBe('succeeded');
    expect(done!.summary.articles ?? 0).toBe(0);
  });
});
