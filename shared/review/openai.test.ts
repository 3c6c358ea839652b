import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeOpenAi,
  type FakeReply,
  scripted,
  startFakeOpenAi,
} from '../../test/support/fake-openai.ts';
import { syntheticInput } from '../../test/support/review-fixtures.ts';
import { AppError } from '../errors/index.ts';
import { createOpenAiReviewer, type OpenAiReviewerOptions } from './openai.ts';
import { createRulesReviewer } from './rules.ts';
import type { AiReview } from './schema.ts';

const API_KEY = 'sk-test-DO-NOT-LEAK-1234567890';
const MODEL = 'gpt-4o-mini-2024-07-18';

// A long setup with a last close of exactly 187.42, so the prompt shows it verbatim.
const input = syntheticInput(31, {
  price: 180,
  signals: [
    { template: 'breakout_volume', direction: 'bullish', strength: 82, evidence: { volume_ratio: 2.1 } },
  ],
  features: { atr_14: 3 },
});
input.bars.at(-1)!.close = 187.42;
input.bars.at(-1)!.high = Math.max(input.bars.at(-1)!.high, 187.42);
input.bars.at(-1)!.low = Math.min(input.bars.at(-1)!.low, 187.42);

const good: AiReview = (await createRulesReviewer().review(input)).review!;
const ungrounded: AiReview = { ...good, trade_plan: { ...good.trade_plan, stop: 190 } };
const ok = (review: unknown, usage?: { prompt: number; completion: number }): FakeReply => ({
  content: JSON.stringify(review),
  ...(usage ? { usage } : {}),
});

let fake: FakeOpenAi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function reviewerFor(replies: FakeReply[], opts: Partial<OpenAiReviewerOptions> = {}) {
  fake = await startFakeOpenAi(scripted(...replies));
  return createOpenAiReviewer({ apiKey: API_KEY, baseURL: fake.baseURL, model: MODEL, ...opts });
}

describe('OpenAI reviewer', () => {
  it('sends a strict json_schema request built from the input and returns the validated review', async () => {
    const reviewer = await reviewerFor([ok(good, { prompt: 1500, completion: 400 })]);
    const outcome = await reviewer.review(input);

    expect(outcome).toMatchObject({ status: 'valid', review: good, raw: good, reasons: [], attempts: 1 });
    expect(outcome).toMatchObject({ tokensIn: 1500, tokensOut: 400 });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(reviewer).toMatchObject({ model: MODEL, promptVersion: 'review-v2' });
    expect(reviewer.description).toBe(
      `LLM review by ${MODEL} at ${new URL(fake!.baseURL).host} (structured outputs, review-v2)`,
    );

    const [request] = fake!.requests;
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = request!.body;
    expect(body.model).toBe(MODEL);
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'ai_review', strict: true },
    });
    expect(body.response_format.json_schema.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
    });
    expect(body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[1].content).toContain('Asset: SYN31');
    expect(body.messages[1].content).toContain('Last close: 187.42');
  });

  it('rides out a 429 with Retry-After through the SDK retry, as one attempt', async () => {
    const reviewer = await reviewerFor([
      { status: 429, headers: { 'retry-after': '0' }, error: 'Rate limit reached' },
      ok(good),
    ]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({ status: 'valid', attempts: 1 });
    expect(fake!.requests).toHaveLength(2);
  });

  it('retries once after malformed JSON, telling the model what was wrong', async () => {
    const reviewer = await reviewerFor([
      { content: '{"direction": "bullish", "attention_score": ', usage: { prompt: 1000, completion: 10 } },
      ok(good, { prompt: 1100, completion: 300 }),
    ]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({ status: 'valid', review: good, reasons: [], attempts: 2 });
    expect(outcome).toMatchObject({ tokensIn: 2100, tokensOut: 310 });

    const retry = fake!.requests[1]!.body.messages;
    expect(retry.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2].content).toBe('{"direction": "bullish", "attention_score": ');
    expect(retry[3].content).toMatch(/rejected:\n- answer is not valid JSON/);
  });

  it('returns invalid with the reasons and the raw answer when grounding fails twice', async () => {
    const reviewer = await reviewerFor([ok(ungrounded)]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({ status: 'invalid', review: null, raw: ungrounded, attempts: 2 });
    expect(outcome.reasons).toEqual([
      `long stop 190 is not below the entry low ${good.trade_plan.entry_zone!.low}`,
    ]);
    expect(fake!.requests[1]!.body.messages[3].content).toContain('long stop 190 is not below the entry low');
  });

  it('reports schema violations by field path', async () => {
    const reviewer = await reviewerFor([ok({ ...good, attention_score: 140, mood: 'great' })]);
    const outcome = await reviewer.review(input);
    expect(outcome.status).toBe('invalid');
    expect(outcome.reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/^attention_score: /), expect.stringMatching(/mood/)]),
    );
  });

  it('throws one readable line without the key when the server keeps failing', async () => {
    const reviewer = await reviewerFor([
      { status: 500, headers: { 'retry-after': '0' }, error: `Internal error\nwhile serving key ${API_KEY}` },
    ]);
    const error = await reviewer.review(input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e.message).toMatch(
      /^LLM review of SYN31 with gpt-4o-mini-2024-07-18 failed \(HTTP 500\): 500 Internal error/,
    );
    expect(e.message).not.toContain(API_KEY);
    expect(e.message).not.toContain('\n');
    expect(e.code).toBe('provider_unavailable');
    expect(e.retryable).toBe(true);
    // One request and the SDK's two retries.
    expect(fake!.requests).toHaveLength(3);
  });

  it('does not retry a rejected key and says the error is permanent', async () => {
    const reviewer = await reviewerFor([{ status: 401, error: 'Incorrect API key provided' }]);
    const error = (await reviewer.review(input).catch((e: unknown) => e)) as AppError;
    expect(error.message).toContain('(HTTP 401): 401 Incorrect API key provided');
    expect(error).toMatchObject({ code: 'provider_rejected', retryable: false });
    expect(fake!.requests).toHaveLength(1);
  });

  it('gives up on a server slower than the timeout', async () => {
    const reviewer = await reviewerFor([{ ...ok(good), delayMs: 2_000 }], { timeoutMs: 200, maxRetries: 0 });
    const error = (await reviewer.review(input).catch((e: unknown) => e)) as AppError;
    expect(error.message).toBe(
      'LLM review of SYN31 with gpt-4o-mini-2024-07-18 failed (timeout): Request timed out.',
    );
    expect(error.retryable).toBe(true);
  });
});
