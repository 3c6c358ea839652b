import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../test/support/fake-openai.ts';
import { syntheticInput, syntheticInputs } from '../../test/support/review-fixtures.ts';
import { checkGrounding } from './grounding.ts';
import { createOpenAiReviewer } from './openai.ts';
import { inputHash, type Reviewer, type ReviewOutcome } from './reviewer.ts';
import { createRulesReviewer } from './rules.ts';
import { AiReview } from './schema.ts';
import type { ReviewInput } from './types.ts';

// One suite, every Reviewer: what the review stage relies on, whichever implementation is configured.

interface Harness {
  name: string;
  start(): Promise<{ reviewer: Reviewer; close(): Promise<void> }>;
}

const rulesHarness: Harness = {
  name: 'rules',
  start: async () => ({ reviewer: createRulesReviewer(), close: async () => {} }),
};

// The fake LLM answers each request with a grounded review of the asset named in the prompt
// (the rules reviewer's, computed up front because a responder cannot wait).
const openAiHarness: Harness = {
  name: 'openai (fake server)',
  async start() {
    const rules = createRulesReviewer();
    const answers = new Map<string, string>();
    for (const input of inputs()) {
      answers.set(input.asset.symbol, JSON.stringify((await rules.review(input)).review));
    }
    const fake: FakeOpenAi = await startFakeOpenAi((request) => {
      const symbol = /^Asset: (\S+)/m.exec(request.body.messages[1].content)?.[1] ?? '';
      return { content: answers.get(symbol) ?? null };
    });
    const reviewer = createOpenAiReviewer({
      apiKey: 'sk-contract',
      baseURL: fake.baseURL,
      model: 'gpt-4o-mini',
    });
    return { reviewer, close: fake.close };
  },
};

// Inputs with a plan for each side; edge cases stay in the rules tests.
function inputs(): ReviewInput[] {
  return syntheticInputs().filter((_, i) => i % 8 === 0);
}

function expectOutcomeShape(outcome: ReviewOutcome): void {
  expect(['valid', 'invalid']).toContain(outcome.status);
  expect(outcome.status === 'valid').toBe(outcome.review !== null);
  expect(outcome.status === 'valid').toBe(outcome.reasons.length === 0);
  for (const n of [outcome.tokensIn, outcome.tokensOut, outcome.attempts])
    expect(Number.isInteger(n)).toBe(true);
  expect(outcome.tokensIn).toBeGreaterThanOrEqual(0);
  expect(outcome.tokensOut).toBeGreaterThanOrEqual(0);
  expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
  expect(outcome.attempts).toBeGreaterThanOrEqual(1);
  expect(outcome.raw).not.toBeUndefined();
}

describe.each([rulesHarness, openAiHarness])('Reviewer contract: $name', (harness) => {
  let reviewer: Reviewer;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ reviewer, close } = await harness.start());
  });
  afterAll(() => close());

  it('names its model, prompt version and itself in one line', () => {
    expect(reviewer.model).toMatch(/\S/);
    expect(reviewer.promptVersion).toMatch(/\S/);
    expect(reviewer.description).toMatch(/\S/);
    expect(reviewer.description).not.toContain('\n');
  });

  it('returns valid, schema-conforming outcomes', async () => {
    for (const input of inputs()) {
      const outcome = await reviewer.review(input);
      expectOutcomeShape(outcome);
      expect(outcome.status, input.asset.symbol).toBe('valid');
      expect(AiReview.parse(outcome.review)).toEqual(outcome.review);
    }
  });

  it('only calls an outcome valid when its plan is grounded in the input', async () => {
    for (const input of inputs()) {
      const outcome = await reviewer.review(input);
      if (outcome.review) expect(checkGrounding(outcome.review, input), input.asset.symbol).toEqual([]);
    }
  });

  it('hashes its inputs deterministically', async () => {
    const input = syntheticInput(1);
    const hash = await inputHash(input, reviewer.model, reviewer.promptVersion);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await inputHash(structuredClone(input), reviewer.model, reviewer.promptVersion)).toBe(hash);
    expect(await inputHash(syntheticInput(2), reviewer.model, reviewer.promptVersion)).not.toBe(hash);
  });
});
