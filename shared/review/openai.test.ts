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
import { buildMessages } from './prompt.ts';
import { createRulesReviewer } from './rules.ts';
import type { AiReview } from './schema.ts';

const API_KEY = 'sk-test-DO-NOT-LEAK-1234567890';
const MODEL = 'gpt-4o-mini-2024-07-18';

// A long setup: a rising market rescaled so that the last close is exactly 187.42 (the prompt shows it
// verbatim), with its price features scaled alike. ATR is about 5.95, so the price tolerance is ~1.49.
const input = syntheticInput(31, {
  price: 180,
  vol: 0.02,
  drift: 0.002,
  signals: [
    { template: 'breakout_volume', direction: 'bullish', strength: 82, evidence: { volume_ratio: 2.1 } },
  ],
});
const scale = 187.42 / input.bars.at(-1)!.close;
for (const bar of input.bars) {
  for (const k of ['open', 'high', 'low', 'close'] as const) bar[k] *= scale;
}
Object.assign(input.bars.at(-1)!, { close: 187.42 });
for (const [name, value] of Object.entries(input.features)) {
  if (value !== null && (name === 'atr_14' || /^(sma|bb|prior)_/.test(name)))
    input.features[name] = value * scale;
}

const good: AiReview = (await createRulesReviewer().review(input)).review!;
const entry = good.trade_plan.entry_zone!;
// Consistent in itself, but its stop is the first target: above the entry.
const inverted: AiReview = { ...good, trade_plan: { ...good.trade_plan, stop: good.trade_plan.targets[0]! } };
// Ordered correctly, but resistance 250 and target 230 appear nowhere in the prompt.
const unanchored: AiReview = {
  ...good,
  levels: { ...good.levels, resistance: [...good.levels.resistance, 250] },
  trade_plan: { ...good.trade_plan, targets: [good.trade_plan.targets[0]!, 230] },
};
const UNANCHORED_REASONS = [
  expect.stringMatching(
    /^resistance 250 is not within 1\.48\d+ of any price in the input \(nearest [\d.]+\); use the prices given$/,
  ),
  expect.stringMatching(
    /^target 230 is not within 1\.48\d+ of any price in the input \(nearest [\d.]+\); use the prices given$/,
  ),
];
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
    expect(reviewer).toMatchObject({ model: MODEL, promptVersion: 'review-v3' });
    expect(reviewer.description).toBe(
      `LLM review by ${MODEL} at ${new URL(fake!.baseURL).host} (structured outputs, review-v3)`,
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

  it('rides out a 429 with Retry-After through the SDK retry, counting both HTTP requests as attempts', async () => {
    const reviewer = await reviewerFor([
      { status: 429, headers: { 'retry-after': '0' }, error: 'Rate limit reached' },
      ok(good),
    ]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({ status: 'valid', attempts: 2 });
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
    const reviewer = await reviewerFor([ok(inverted)]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({ status: 'invalid', review: null, raw: inverted, attempts: 2 });
    const reason = `long stop ${good.trade_plan.targets[0]} is not below the entry low ${entry.low}`;
    expect(outcome.reasons).toEqual([reason]);
    expect(fake!.requests[1]!.body.messages[3].content).toContain(reason);
  });

  it('accepts levels and a plan placed on prices the prompt shows, within the tolerance', async () => {
    // An analyst's answer: support and resistance at reference levels and price features of the prompt,
    // the stop a little below support, the targets at resistance.
    const pivots = Object.fromEntries(
      [...buildMessages(input)[1]!.content.matchAll(/^(pivot\w*|bb_upper_20|prior_low_20)=([\d.]+)$/gm)].map(
        (m) => [m[1], Number(m[2])],
      ),
    );
    const support = pivots.pivot!;
    const resistance = [pivots.pivot_r1!, pivots.bb_upper_20!].sort((a, b) => a - b);
    expect(support).toBeLessThan(entry.low);
    expect(resistance[0]).toBeGreaterThan(entry.high);
    const analyst: AiReview = {
      ...good,
      levels: { support: [support], resistance },
      trade_plan: { ...good.trade_plan, stop: Number((support - 1).toFixed(2)), targets: resistance },
    };
    const reviewer = await reviewerFor([ok(analyst)]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({ status: 'valid', review: analyst, reasons: [], attempts: 1 });
  });

  it('rejects levels and targets found nowhere in the prompt, and accepts the corrected answer with both calls paid', async () => {
    const reviewer = await reviewerFor([
      ok(unanchored, { prompt: 1200, completion: 350 }),
      ok(good, { prompt: 1700, completion: 340 }),
    ]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({
      status: 'valid',
      review: good,
      attempts: 2,
      tokensIn: 2900,
      tokensOut: 690,
    });
    const correction = fake!.requests[1]!.body.messages[3].content;
    expect(correction).toMatch(
      /^Your answer was rejected:\n- resistance 250 is not within .*\n- target 230 is not within /,
    );
  });

  it('stores an answer that stays ungrounded as invalid, with the reasons', async () => {
    const reviewer = await reviewerFor([ok(unanchored)]);
    const outcome = await reviewer.review(input);
    expect(outcome).toMatchObject({ status: 'invalid', review: null, raw: unanchored, attempts: 2 });
    expect(outcome.reasons).toEqual(UNANCHORED_REASONS);
  });

  it('keeps a rejected answer and its tokens when the corrective retry fails at the server', async () => {
    const reviewer = await reviewerFor(
      [
        ok(unanchored, { prompt: 1000, completion: 200 }),
        { status: 500, headers: { 'retry-after': '0' }, error: 'The server had an error' },
      ],
      { maxRetries: 1 },
    );
    const outcome = await reviewer.review(input);
    // The first answer, the corrective request and the SDK's one retry of it: three HTTP requests.
    expect(outcome).toMatchObject({
      status: 'invalid',
      raw: unanchored,
      tokensIn: 1000,
      tokensOut: 200,
      attempts: 3,
    });
    expect(outcome.reasons).toEqual([
      ...UNANCHORED_REASONS,
      expect.stringMatching(
        /^corrective retry failed: LLM review of SYN31 with gpt-4o-mini-2024-07-18 failed \(HTTP 500\): 500 The server had an error$/,
      ),
    ]);
    expect(fake!.requests).toHaveLength(3);
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
