import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { resolveUniverse } from '../../shared/universes/index.ts';
import type { TestDatabase } from '../support/db.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';
import { cryptoCandidates, groundedAnswers, llmContext, runReview, symbolOf } from './support.ts';

// Spending: per-run budgets in dollars and tokens, the cache, tiering and unpriced models. Every call
// costs 1000 input and 250 output tokens; each test uses its own model, so no test hits another's cache.

const LIMIT = 10;

describe('review spending against the fake OpenAI server', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let fake: FakeOpenAi;
  let ranked: number[];

  const reviews = (model: string) =>
    ctx.sql<{ asset_id: number; cost_usd: number | null }[]>`
      select asset_id, cost_usd::float8 as cost_usd from asset_ai_reviews
      where as_of_date = ${TEST_DATE} and model = ${model} order by asset_id`;
  const pendingOf = (runId: number) =>
    ctx.sql<{ asset_id: number; reason: string }[]>`
      select asset_id, reason from review_pending where run_id = ${runId} order by asset_id`;
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    const answers = await groundedAnswers(ctx, 'crypto_all');
    fake = await startFakeOpenAi((request) => ({
      content: JSON.stringify(answers.get(symbolOf(request))),
      usage: { prompt: 1000, completion: 250 },
    }));
    ranked = (await cryptoCandidates(ctx, LIMIT)).map((a) => a.id);
  });
  afterAll(async () => {
    await fake?.close();
    await db.drop();
  });

  it('stops at the dollar budget, leaves the weaker candidates pending and ends the run partial', async () => {
    // gpt-4.1-mini: $0.0008 a call; after three calls $0.0024 >= $0.002.
    const llm = llmContext(db, fake.baseURL, {
      OPENAI_MODEL: 'gpt-4.1-mini',
      STRATOS_REVIEW_BUDGET_USD: '0.002',
      STRATOS_REVIEW_CONCURRENCY: '1',
    });
    const run = await runReview(llm, 'crypto_all', LIMIT);

    expect(run.status).toBe('partial');
    expect(run.summary).toMatchObject({ reviewed: 3, pending: 7, tokens_in: 3000, tokens_out: 750 });
    expect(run.summary.cost_usd).toBeCloseTo(0.0024, 12);
    expect(run.errors).toEqual([
      {
        scope: 'run',
        error:
          'review budget exhausted (USD 0.0024 of 0.002 spent): 7 candidate(s) left pending; ' +
          'rerun the review stage with a larger budget to review them',
      },
    ]);
    const stored = await reviews('gpt-4.1-mini');
    expect(stored.map((r) => r.asset_id)).toEqual(sorted(ranked.slice(0, 3)));
    expect(stored.map((r) => r.cost_usd)).toEqual([0.0008, 0.0008, 0.0008]);
    const pending = await pendingOf(run.id);
    expect(pending.map((p) => p.asset_id)).toEqual(sorted(ranked.slice(3)));
    expect(new Set(pending.map((p) => p.reason))).toEqual(
      new Set(['review budget exhausted (USD 0.0024 of 0.002 spent)']),
    );
  });

  it('finishes the pending candidates on a rerun with budget, paying nothing for the cached ones', async () => {
    const llm = llmContext(db, fake.baseURL, { OPENAI_MODEL: 'gpt-4.1-mini' });
    const before = fake.requests.length;
    const rerun = await runReview(llm, 'crypto_all', LIMIT);
    expect(rerun.status).toBe('succeeded');
    expect(rerun.summary).toMatchObject({ cached: 3, reviewed: 7, pending: 0 });
    expect(rerun.summary.cost_usd).toBeCloseTo(0.0056, 12);
    expect(fake.requests.length - before).toBe(7);
    expect(await pendingOf(rerun.id)).toEqual([]);
    expect((await reviews('gpt-4.1-mini')).map((r) => r.asset_id)).toEqual(sorted(ranked));

    const again = await runReview(llm, 'crypto_all', LIMIT);
    expect(again.summary).toMatchObject({
      cached: LIMIT,
      reviewed: 0,
      tokens_in: 0,
      tokens_out: 0,
      cost_usd: 0,
    });
    expect(fake.requests.length - before).toBe(7);
  });

  it('overshoots a budget by no more than the calls already in flight', async () => {
    // gpt-4.1-nano: $0.0002 a call; four at a time against a $0.0005 budget.
    const llm = llmContext(db, fake.baseURL, {
      OPENAI_MODEL: 'gpt-4.1-nano',
      STRATOS_REVIEW_BUDGET_USD: '0.0005',
      STRATOS_REVIEW_CONCURRENCY: '4',
    });
    const run = await runReview(llm, 'crypto_all', LIMIT);
    const spent = run.summary.cost_usd as number;
    expect(spent).toBeGreaterThanOrEqual(0.0005);
    expect(spent).toBeLessThan(0.0005 + 4 * 0.0002);
    expect((run.summary.reviewed as number) + (run.summary.pending as number)).toBe(LIMIT);
    expect(run.status).toBe('partial');
  });

  it('stops at the token budget too', async () => {
    const llm = llmContext(db, fake.baseURL, {
      OPENAI_MODEL: 'gpt-5-nano',
      STRATOS_REVIEW_BUDGET_TOKENS: '2500',
      STRATOS_REVIEW_CONCURRENCY: '1',
    });
    const run = await runReview(llm, 'crypto_all', LIMIT);
    expect(run.summary).toMatchObject({ reviewed: 2, pending: 8 });
    expect(run.errors[0]!.error).toMatch(
      /^review budget exhausted \(2500 of 2500 tokens spent\): 8 candidate/,
    );
  });

  it('reviews candidates with a fresh signal with the configured model and the rest with the cheap one', async () => {
    const llm = llmContext(db, fake.baseURL, {
      OPENAI_MODEL: 'gpt-4.1',
      STRATOS_REVIEW_CHEAP_MODEL: 'gpt-4o-mini',
    });
    const all = (await resolveUniverse(ctx.sql, 'crypto_all')).assets.length;
    const run = await runReview(llm, 'crypto_all', all);

    // Fresh, computed independently: a fact today whose template did not fire on the previous stored day.
    const fresh = await ctx.sql<{ asset_id: number }[]>`
      select distinct t.asset_id from daily_signal_facts t join assets a on a.id = t.asset_id
      where t.date = ${TEST_DATE} and a.asset_type = 'crypto' and not exists (
        select 1 from daily_signal_facts y
        where y.asset_id = t.asset_id and y.template = t.template
          and y.date = (select max(date) from daily_bars b where b.asset_id = t.asset_id and b.date < t.date))
      order by 1`;
    const main = (await reviews('gpt-4.1')).map((r) => r.asset_id);
    const cheap = (await reviews('gpt-4o-mini')).map((r) => r.asset_id);
    expect(main).toEqual(fresh.map((f) => f.asset_id));
    expect(main.length).toBeGreaterThan(0);
    expect(cheap.length).toBeGreaterThan(0);
    expect(main.length + cheap.length).toBe(all);
    expect(cheap.filter((id) => main.includes(id))).toEqual([]);
    expect(run.summary).toMatchObject({ reviewed: all, cheap: cheap.length });
    // gpt-4.1 at $2/$8 and gpt-4o-mini at $0.15/$0.60 per 1M tokens.
    expect(run.summary.cost_usd).toBeCloseTo(main.length * 0.004 + cheap.length * 0.0003, 12);
  });

  it('stores cost null for a model without a price, and says so in the run', async () => {
    const llm = llmContext(db, fake.baseURL, { OPENAI_MODEL: 'local-llama-3.1-8b' });
    const run = await runReview(llm, 'crypto_all', 3);
    expect(run.status).toBe('succeeded');
    expect((await reviews('local-llama-3.1-8b')).map((r) => r.cost_usd)).toEqual([null, null, null]);
    expect(run.summary).toMatchObject({ reviewed: 3, unpriced: 3, tokens_in: 3000, cost_usd: 0 });
    expect(run.summary.cost_note).toMatch(
      /^3 review\(s\) by a model without a known price have cost_usd null/,
    );

    const priced = llmContext(db, fake.baseURL, {
      OPENAI_MODEL: 'local-llama-3.1-8b',
      STRATOS_REVIEW_PRICE_IN: '0.05',
      STRATOS_REVIEW_PRICE_OUT: '0.2',
    });
    await ctx.sql`delete from asset_ai_reviews where model = 'local-llama-3.1-8b'`;
    const rerun = await runReview(priced, 'crypto_all', 3);
    expect((await reviews('local-llama-3.1-8b')).map((r) => r.cost_usd)).toEqual([0.0001, 0.0001, 0.0001]);
    expect(rerun.summary.cost_note).toBeUndefined();
  });
});
