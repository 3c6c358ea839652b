import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../scripts/cli.ts';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import type { RunView } from '../../shared/api/contracts/runs.ts';
import { listRuns } from '../../shared/api/service.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { reviewRunCosts } from '../../shared/review/costs.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS, TEST_KEYS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';
import { cryptoCandidates, groundedAnswers, llmContext, runReview, symbolOf } from './support.ts';

// An answer cut off at the token limit is stored invalid and cached like a valid one, so a rerun
// does not pay for it again; asking again is explicit (CLI --retry-invalid, POST /runs
// retry_invalid), replaces the invalid row and is paid for in that run.

const USAGE = { prompt: 1000, completion: 200 };
// gpt-4.1-mini: 1000 × $0.40 + 200 × $1.60 per 1M tokens.
const CALL_USD = 0.00072;
const LIMIT = 2;

interface Row {
  status: string;
  attempts: number;
  tokens_in: number;
  cost_usd: number;
  created_at: Date;
}

describe('re-asking invalid reviews', () => {
  let db: TestDatabase;
  let fake: FakeOpenAi;
  let llm: PipelineContext;
  let cut: string;
  let good: string;
  const asked = (symbol: string) => fake.requests.filter((r) => symbolOf(r) === symbol).length;
  const row = async (symbol: string) => {
    const rows = await db.sql<Row[]>`
      select v.status, v.attempts, v.tokens_in, v.cost_usd::float8 as cost_usd, v.created_at
      from asset_ai_reviews v join assets a on a.id = v.asset_id
      where a.symbol = ${symbol} and a.asset_type = 'crypto' and v.as_of_date = ${TEST_DATE}
        and v.model = 'gpt-4.1-mini'`;
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const latestRun = async (): Promise<RunView> =>
    (await listRuns(llm, { date: TEST_DATE, limit: 100 })).find(
      (r) => r.stage === 'review' && r.universe === 'crypto_all',
    )!;

  beforeAll(async () => {
    let ctx: PipelineContext;
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    const answers = await groundedAnswers(ctx, 'crypto_all');
    [cut, good] = (await cryptoCandidates(ctx, LIMIT)).map((a) => a.symbol) as [string, string];
    // `cut`'s first answer and its corrective retry are cut off at the token limit; later ones are whole.
    fake = await startFakeOpenAi((request) => {
      const symbol = symbolOf(request);
      const answer = JSON.stringify(answers.get(symbol)!);
      return symbol === cut && asked(symbol) <= 2
        ? { content: answer.slice(0, 80), finishReason: 'length', usage: USAGE }
        : { content: answer, usage: USAGE };
    });
    llm = llmContext(db, fake.baseURL, { ...TEST_KEYS, OPENAI_MODEL: 'gpt-4.1-mini' });
  });
  afterAll(async () => {
    await fake?.close();
    await db.drop();
  });

  it('stores a cut-off answer as invalid', async () => {
    const run = await runReview(llm, 'crypto_all', LIMIT);
    expect(run.summary).toMatchObject({ reviewed: 2, invalid: 1, retried: 0, cached: 0 });
    expect(await row(cut)).toMatchObject({ status: 'invalid', attempts: 2 });
    expect(await row(good)).toMatchObject({ status: 'valid', attempts: 1 });
    expect([asked(cut), asked(good)]).toEqual([2, 1]);
  });

  it('reuses the invalid answer on a plain rerun, without asking or paying again', async () => {
    const before = await row(cut);
    const run = await runReview(llm, 'crypto_all', LIMIT);
    expect(run.summary).toMatchObject({ reviewed: 0, cached: 2, retried: 0, tokens_in: 0, cost_usd: 0 });
    expect(await row(cut)).toEqual(before);
    expect(fake.requests).toHaveLength(3);
  });

  it('asks again with stratos review --retry-invalid, replaces the row and counts its cost in the run', async () => {
    const env = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: db.url,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MODEL: 'gpt-4.1-mini',
    });
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const argv = ['review', '--asset-type', 'crypto', '--date', TEST_DATE, '--limit', String(LIMIT)];
      expect(await main([...argv, '--retry-invalid'])).toBe(0);
    } finally {
      out.mockRestore();
      process.env = env;
    }
    expect([asked(cut), asked(good)]).toEqual([3, 1]);
    expect(await row(cut)).toMatchObject({
      status: 'valid',
      attempts: 1,
      tokens_in: 1000,
      cost_usd: CALL_USD,
    });
    const run = await latestRun();
    expect(run.summary).toMatchObject({
      reviewed: 1,
      retried: 1,
      invalid: 0,
      cached: 1,
      tokens_in: 1000,
      tokens_out: 200,
    });
    expect(run.summary.cost_usd).toBeCloseTo(CALL_USD, 12);
    const { items } = await reviewRunCosts(db.sql, { from: TEST_DATE, to: TEST_DATE });
    const costs = items.find((i) => i.run_id === run.id)!;
    expect(costs).toMatchObject({ count: 2, reviewed: 1, cached: 1, invalid: 0, tokens_in: 1000 });
    expect(costs.cost_usd).toBeCloseTo(CALL_USD, 12);
  });

  it('takes retry_invalid on POST /runs (admin) and converges: nothing invalid is left to ask about', async () => {
    const app = createApp(llm);
    const post = (body: unknown) =>
      app.request('/control-api/runs', {
        method: 'POST',
        headers: { ...AS.admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const trigger = { stage: 'review', universe: 'crypto_all', date: TEST_DATE, limit: LIMIT };
    const res = await post({ ...trigger, retry_invalid: true });
    expect(res.status).toBe(202);
    await drainUntilIdle(llm, 'retry-test');
    expect((await latestRun()).summary).toMatchObject({ reviewed: 0, cached: 2, retried: 0, cost_usd: 0 });
    expect(fake.requests).toHaveLength(4);

    const wrongStage = await post({ ...trigger, stage: 'signals', retry_invalid: true });
    expect(wrongStage.status).toBe(400);
    expect(await wrongStage.json()).toMatchObject({
      code: 'invalid_input',
      error: expect.stringMatching(/retry_invalid applies to the review stage/),
    });
  });
});
