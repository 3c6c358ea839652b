import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../shared/api/contracts/runs.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp as aiReview } from '../../supabase/functions/ai-review/app.ts';
import { createApp as calcFeatures } from '../../supabase/functions/calc-features/app.ts';
import { createApp as evaluateSignals } from '../../supabase/functions/evaluate-signals/app.ts';
import { createApp as ingestNews } from '../../supabase/functions/ingest-news/app.ts';
import { createApp as ingestOhlcv } from '../../supabase/functions/ingest-ohlcv/app.ts';
import { createApp as scoreSentiment } from '../../supabase/functions/score-sentiment/app.ts';
import { AS, TEST_KEYS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE } from '../support/pipeline.ts';

describe('stage functions (in-process)', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
  });
  afterAll(() => db.drop());

  const call = (
    app: { request: (path: string, init: RequestInit) => Response | Promise<Response> },
    path: string,
    body: string,
    headers: Record<string, string> = AS.service,
  ) =>
    app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('runs the stages in order over HTTP, each draining its own jobs', async () => {
    const order = [
      ['ingest-ohlcv', ingestOhlcv, 'ingest', { from: '2025-10-01' }],
      ['ingest-news', ingestNews, 'news', {}],
      ['score-sentiment', scoreSentiment, 'sentiment', {}],
      ['calc-features', calcFeatures, 'features', { from: '2025-10-01' }],
      ['evaluate-signals', evaluateSignals, 'signals', {}],
      ['ai-review', aiReview, 'review', {}],
    ] as const;
    for (const [name, create, stage, extra] of order) {
      const res = await call(
        create(ctx),
        `/${name}`,
        JSON.stringify({ date: TEST_DATE, asset_type: 'crypto', ...extra }),
      );
      expect(res.status).toBe(202);
      const body = (await res.json()) as { runs: RunView[]; drained: { processed: number; left: number } };
      expect(body.runs[0]!.stage).toBe(stage);
      // A loaded machine may spend the invocation's budget before the queue is empty: drain on, as
      // pg_cron would, until nothing is left.
      let { processed, left } = body.drained;
      while (left > 0) {
        const more = await call(create(ctx), `/${name}/drain`, '');
        const next = (await more.json()) as { processed: number; left: number };
        processed += next.processed;
        left = next.left;
      }
      expect(processed).toBeGreaterThan(0);
      const [run] = await ctx.sql`select status from pipeline_runs where id = ${body.runs[0]!.id}`;
      expect(run!.status).toBe('succeeded');
    }
    const [reviews] = await ctx.sql<{ n: number }[]>`select count(*) as n from asset_ai_reviews`;
    expect(reviews!.n).toBeGreaterThan(0);
  });

  it('does not chain to the next stage unless asked', async () => {
    const runs = await ctx.sql`select stage from pipeline_runs where universe = 'crypto_all' order by id`;
    expect(runs.map((r) => r.stage)).toEqual([
      'ingest',
      'news',
      'sentiment',
      'features',
      'signals',
      'review',
    ]);
  });

  it.each([
    ['{}', /exactly one of asset_type or universe/],
    ['{"date":"2026-11-20"}', /exactly one of asset_type or universe/],
    ['{"date":"2026-11-20","asset_type":"bonds"}', /asset_type/],
    ['{"date":"2026-02-30","asset_type":"crypto"}', /not a real calendar date/],
    ['{"date":"2026-11-20","asset_type":"crypto","universe":"crypto_all"}', /exactly one/],
    ['{"date":"2026-11-20","asset_type":"crypto","extra":1}', /extra|Unrecognized/i],
    ['not json', /not valid JSON/],
  ])('rejects the body %s with 400 and a readable message', async (body, message) => {
    const res = await call(ingestOhlcv(ctx), '/ingest-ohlcv', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it.each([
    ['no credentials', {}, 401],
    ['a wrong key', { apikey: 'guess' }, 401],
    ['the publishable key', AS.reader, 403],
    ['the admin token', AS.admin, 403],
    ['the secret key as a bearer token', { authorization: `Bearer ${TEST_KEYS.STRATOS_SECRET_KEY}` }, 202],
  ])('with %s answers %i', async (_, headers, status) => {
    const body = JSON.stringify({ date: TEST_DATE, asset_type: 'crypto' });
    for (const [name, create] of [
      ['ingest-ohlcv', ingestOhlcv],
      ['ingest-news', ingestNews],
      ['score-sentiment', scoreSentiment],
      ['calc-features', calcFeatures],
      ['evaluate-signals', evaluateSignals],
      ['ai-review', aiReview],
    ] as const) {
      for (const path of [`/${name}`, `/${name}/drain`]) {
        const res = await call(create(ctx), path, body, headers);
        expect(res.status, `${path}`).toBe(path.endsWith('/drain') && status === 202 ? 200 : status);
        if (status !== 202)
          expect(((await res.json()) as { error: string }).error).toMatch(/credentials|role/);
      }
    }
  });
});
