import { describe, expect, it } from 'vitest';
import { listPrice, reviewCost } from './pricing.ts';

describe('listPrice', () => {
  it('prices a listed model, its pinned snapshots and provider-prefixed names', () => {
    expect(listPrice('gpt-4.1-mini')).toEqual({ input: 0.4, output: 1.6 });
    expect(listPrice('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(listPrice('gemini-2.0-flash-001')).toEqual({ input: 0.1, output: 0.4 });
    expect(listPrice('models/gemini-2.5-flash')).toEqual({ input: 0.3, output: 2.5 });
    expect(listPrice('openai/GPT-4.1')).toEqual({ input: 2, output: 8 });
  });

  it('knows nothing of unlisted models or differently priced variants of a listed family', () => {
    expect(listPrice('llama-3.1-8b-instruct')).toBeNull();
    expect(listPrice('gpt-4o-audio-preview')).toBeNull();
    expect(listPrice('rules')).toBeNull();
  });
});

describe('reviewCost', () => {
  it('charges tokens at the price per million, rounded to a millionth of a cent', () => {
    // 1500 × 0.40 + 400 × 1.60 = 1240 millionths of a dollar.
    expect(reviewCost({ input: 0.4, output: 1.6 }, 1500, 400)).toBe(0.00124);
    expect(reviewCost({ input: 0.15, output: 0.6 }, 1, 1)).toBe(0.00000075);
    expect(reviewCost({ input: 0.1, output: 0.4 }, 3, 0)).toBe(0.0000003);
  });

  it('costs nothing without tokens and is unknown without a price', () => {
    expect(reviewCost(null, 0, 0)).toBe(0);
    expect(reviewCost({ input: 2, output: 8 }, 0, 0)).toBe(0);
    expect(reviewCost(null, 1200, 300)).toBeNull();
  });
});
