import { describe, expect, it } from 'vitest';
import { createContext } from '../../shared/config.ts';
import type { Sql } from '../../shared/db/client.ts';

// How the environment configures review spending (no database: the SQL client is never used).

const sql = {} as Sql;
const llm = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };

describe('review settings from the environment', () => {
  it('defaults to 8 in flight, no budget, no tiering, top 500 equities and a 3-ATR entry limit', () => {
    const { review } = createContext({}, { sql });
    expect(review).toMatchObject({
      cheapReviewer: null,
      concurrency: 8,
      budgetUsd: null,
      budgetTokens: null,
      equityTopN: 500,
      maxEntryAtr: 3,
    });
    expect(review.priceOf('gpt-4.1-mini')).toEqual({ input: 0.4, output: 1.6 });
  });

  it('reads every review variable', () => {
    const { review, reviewer } = createContext(
      {
        ...llm,
        OPENAI_MODEL: 'my-model',
        STRATOS_REVIEW_CONCURRENCY: '3',
        STRATOS_REVIEW_BUDGET_USD: '1.5',
        STRATOS_REVIEW_BUDGET_TOKENS: '200000',
        STRATOS_REVIEW_PRICE_IN: '0',
        STRATOS_REVIEW_PRICE_OUT: '0.5',
        STRATOS_REVIEW_CHEAP_MODEL: 'gpt-4.1-nano',
        STRATOS_REVIEW_EQUITY_TOP_N: '100',
        STRATOS_REVIEW_MAX_ATR: '2.5',
      },
      { sql },
    );
    expect(reviewer.model).toBe('my-model');
    expect(review).toMatchObject({
      concurrency: 3,
      budgetUsd: 1.5,
      budgetTokens: 200000,
      equityTopN: 100,
      maxEntryAtr: 2.5,
    });
    expect(review.cheapReviewer?.model).toBe('gpt-4.1-nano');
    // The override prices the configured model only.
    expect(review.priceOf('my-model')).toEqual({ input: 0, output: 0.5 });
    expect(review.priceOf('gpt-4.1-nano')).toEqual({ input: 0.1, output: 0.4 });
  });

  it('keeps tiering off for the rules reviewer, which costs nothing', () => {
    const { review } = createContext({ STRATOS_REVIEW_CHEAP_MODEL: 'gpt-4.1-nano' }, { sql });
    expect(review.cheapReviewer).toBeNull();
  });

  it('refuses a dollar budget it could not enforce, and half a price override', () => {
    expect(() =>
      createContext({ ...llm, OPENAI_MODEL: 'my-model', STRATOS_REVIEW_BUDGET_USD: '1' }, { sql }),
    ).toThrow(/STRATOS_REVIEW_BUDGET_USD needs a price for my-model: set STRATOS_REVIEW_PRICE_IN\/OUT/);
    expect(() =>
      createContext({ ...llm, STRATOS_REVIEW_CHEAP_MODEL: 'tiny', STRATOS_REVIEW_BUDGET_USD: '1' }, { sql }),
    ).toThrow(/needs a price for tiny/);
    expect(() => createContext({ STRATOS_REVIEW_PRICE_IN: '0.1' }, { sql })).toThrow(
      /set both STRATOS_REVIEW_PRICE_IN and STRATOS_REVIEW_PRICE_OUT/,
    );
    expect(() => createContext({ STRATOS_REVIEW_BUDGET_TOKENS: '-5' }, { sql })).toThrow(
      /STRATOS_REVIEW_BUDGET_TOKENS must be a number above zero/,
    );
    expect(() => createContext({ STRATOS_REVIEW_CONCURRENCY: '0' }, { sql })).toThrow(
      /STRATOS_REVIEW_CONCURRENCY must be a positive integer/,
    );
  });
});
