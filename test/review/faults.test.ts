import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../shared/api/contracts/runs.ts';
import { reviewRunCosts } from '../../shared/review/costs.ts';
import type { AiReview } from '../../shared/review/schema.ts';
import type { TestDatabase } from '../support/db.ts';
import { type FakeOpenAi, type FakeReply, startFakeOpenAi } from '../support/fake-openai.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';
import { cryptoCandidates, groundedAnswers, llmContext, runReview, symbolOf } from './support.ts';

// One review run over nine crypto candidates, each meeting a different behaviour of the fake OpenAI
// server through the real SDK over HTTP; then the rows each left behind.

const FAULTS = [
  'valid',
  'schema',
  'ungrounded',
  'unanchored',
  'truncated',
  'rate_limited',
  'server_error',
  'slow',
  'retry_fails',
] as const;
type Fault = (typeof FAULTS)[number];
const USAGE = { prompt: 1000, completion: 200 };
// gpt-4.1-mini: 1000 × $0.40 + 200 × $1.60 per 1M tokens.
const CALL_USD = 0.00072;
// Long enough that a loaded CI machine never times out a healthy answer (which the SDK would retry).
const TIMEOUT_MS = 1500;
// A resistance that is near no price the prompt shows: consistent with the plan, but from nowhere.
const unanchored = (good: AiReview): AiReview => ({
  ...good,
  levels: { ...good.levels, resistance: [...good.levels.resistance, 1e6] },
});
const UNANCHORED =
  /^resistance 1000000 is not within [\d.]+ of any price in the input \(nearest [\d.]+\); use the prices given$/;

interface Row {
  status: string;
  attempts: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number | null;
  latency_ms: number;
  model: string;
  prompt_version: string;
  direction: string | null;
  review: { raw?: unknown; reasons?: string[] } & Partial<AiReview>;
}

describe('the review stage against a faulty OpenAI-compatible server', () => {
  let db: TestDatabase;
  let fake: FakeOpenAi;
  let run: RunView;
  const faultOf = new Map<string, Fault>();
  const rows = new Map<Fault, Row>();
  const requests = (fault: Fault) => fake.requests.filter((r) => faultOf.get(symbolOf(r)) === fault).length;

  beforeAll(async () => {
    let ctx: Awaited<ReturnType<typeof createPipelineFixture>>['ctx'];
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    const answers = await groundedAnswers(ctx, 'crypto_all');
    (await cryptoCandidates(ctx, FAULTS.length)).forEach((a, i) => {
      faultOf.set(a.symbol, FAULTS[i]!);
    });

    const seen = new Map<string, number>();
    fake = await startFakeOpenAi((request) => {
      const symbol = symbolOf(request);
      const n = (seen.get(symbol) ?? 0) + 1;
      seen.set(symbol, n);
      const good = answers.get(symbol)!;
      const ok = (review: unknown): FakeReply => ({ content: JSON.stringify(review), usage: USAGE });
      switch (faultOf.get(symbol)) {
        case 'schema':
          return ok({ ...good, attention_score: 140 });
        case 'ungrounded':
          return ok({ ...good, levels: { support: [1e9], resistance: [1] } });
        case 'unanchored':
          return ok(unanchored(good));
        case 'retry_fails':
          return n === 1
            ? ok(unanchored(good))
            : { status: 500, error: 'The server had an error while processing your request' };
        case 'truncated':
          return { content: JSON.stringify(good).slice(0, 80), finishReason: 'length', usage: USAGE };
        case 'rate_limited':
          return n === 1
            ? { status: 429, headers: { 'retry-after': '1' }, error: 'Rate limit reached for requests' }
            : ok(good);
        case 'server_error':
          return { status: 500, error: 'The server had an error while processing your request' };
        case 'slow':
          return { ...ok(good), delayMs: TIMEOUT_MS * 5 };
        default:
          return ok(good);
      }
    });
    const llm = llmContext(db, fake.baseURL, {
      OPENAI_MODEL: 'gpt-4.1-mini',
      STRATOS_REVIEW_TIMEOUT_MS: String(TIMEOUT_MS),
      STRATOS_REVIEW_RETRIES: '1',
    });
    run = await runReview(llm, 'crypto_all', FAULTS.length);

    const stored = await ctx.sql<(Row & { symbol: string })[]>`
      select a.symbol, v.status, v.attempts, v.tokens_in, v.tokens_out, v.cost_usd::float8 as cost_usd,
        v.latency_ms, v.model, v.prompt_version, v.direction, v.review
      from asset_ai_reviews v join assets a on a.id = v.asset_id
      where v.as_of_date = ${TEST_DATE} and v.model <> 'rules'`;
    for (const r of stored) rows.set(faultOf.get(r.symbol)!, r);
  });
  afterAll(async () => {
    await fake?.close();
    await db.drop();
  });

  it('stores a valid answer with its tokens, cost, model, prompt version and one attempt', () => {
    expect(rows.get('valid')).toMatchObject({
      status: 'valid',
      attempts: 1,
      tokens_in: 1000,
      tokens_out: 200,
      cost_usd: CALL_USD,
      model: 'gpt-4.1-mini',
      prompt_version: 'review-v3',
    });
    expect(rows.get('valid')!.direction).toBe(rows.get('valid')!.review.direction);
    expect(requests('valid')).toBe(1);
  });

  it('stores answers that break the schema, the grounding or the JSON as invalid, with reasons, after one corrective retry', () => {
    for (const fault of ['schema', 'ungrounded', 'unanchored', 'truncated'] as const) {
      expect(rows.get(fault), fault).toMatchObject({
        status: 'invalid',
        attempts: 2,
        tokens_in: 2000,
        tokens_out: 400,
        cost_usd: 2 * CALL_USD,
        direction: null,
      });
      expect(requests(fault), fault).toBe(2);
    }
    expect(rows.get('schema')!.review.reasons).toEqual([expect.stringMatching(/^attention_score: /)]);
    expect(rows.get('ungrounded')!.review.reasons).toEqual([
      'support 1000000000 is not below resistance 1',
      expect.stringMatching(/^support 1000000000 is not within [\d.]+ of any price in the input/),
      expect.stringMatching(/^resistance 1 is not within [\d.]+ of any price in the input/),
    ]);
    expect(rows.get('unanchored')!.review.reasons).toEqual([expect.stringMatching(UNANCHORED)]);
    expect(rows.get('truncated')!.review.reasons).toEqual([
      expect.stringMatching(/^answer is not valid JSON \(cut off at the token limit\): /),
    ]);
    expect(rows.get('truncated')!.review.raw).toMatch(/^\{"direction":/);
  });

  it('stores a rejected answer as invalid with its tokens and cost when the corrective retry fails', () => {
    // The answer, then the corrective request and its one configured retry, both answered 500.
    expect(rows.get('retry_fails')).toMatchObject({
      status: 'invalid',
      attempts: 3,
      tokens_in: 1000,
      tokens_out: 200,
      cost_usd: CALL_USD,
    });
    expect(rows.get('retry_fails')!.review.reasons).toEqual([
      expect.stringMatching(UNANCHORED),
      expect.stringMatching(/^corrective retry failed: .* failed \(HTTP 500\): 500 The server had an error/),
    ]);
    expect(requests('retry_fails')).toBe(3);
  });

  it('waits out a 429 for its Retry-After, then stores the answer with both HTTP requests as attempts', () => {
    expect(rows.get('rate_limited')).toMatchObject({ status: 'valid', attempts: 2, cost_usd: CALL_USD });
    expect(rows.get('rate_limited')!.latency_ms).toBeGreaterThanOrEqual(1000);
    expect(requests('rate_limited')).toBe(2);
  });

  it('records a per-asset error, and no review, for a server that keeps failing or answers too slowly', () => {
    expect(rows.has('server_error')).toBe(false);
    expect(rows.has('slow')).toBe(false);
    // The request and the one configured retry.
    expect(requests('server_error')).toBe(2);
    expect(requests('slow')).toBe(2);
    const errors = new Map(run.errors.map((e) => [faultOf.get(e.scope), e.error]));
    expect(errors.size).toBe(2);
    expect(errors.get('server_error')).toMatch(
      /with gpt-4\.1-mini failed \(HTTP 500\): 500 The server had an error/,
    );
    expect(errors.get('slow')).toMatch(/with gpt-4\.1-mini failed \(timeout\): Request timed out/);
  });

  it('ends the run partial with the totals of what it paid for', () => {
    expect(run.status).toBe('partial');
    expect(run.summary).toMatchObject({
      reviewed: 7,
      invalid: 5,
      cached: 0,
      pending: 0,
      tokens_in: 11000,
      tokens_out: 2200,
    });
    expect(run.summary.cost_usd).toBeCloseTo(11 * CALL_USD, 12);
    expect(run.summary.error).toBeUndefined();
  });

  it('reports the run through reviewRunCosts, paid-for rejected answers included', async () => {
    const { items } = await reviewRunCosts(db.sql, { from: TEST_DATE, to: TEST_DATE });
    const item = items.find((i) => i.run_id === run.id);
    expect(item).toMatchObject({
      universe: 'crypto_all',
      asset_type: 'crypto',
      status: 'partial',
      count: 7,
      cached: 0,
      invalid: 5,
      errors: 2,
      tokens_in: 11000,
      tokens_out: 2200,
    });
    expect(item!.cost_usd).toBeCloseTo(11 * CALL_USD, 12);
    // The 429's one-second Retry-After alone makes the run take longer than that.
    expect(item!.wall_ms).toBeGreaterThanOrEqual(1000);
  });
});
