import { describe, expect, it } from 'vitest';
import { syntheticInput } from '../../test/support/review-fixtures.ts';
import { checkGrounding } from './grounding.ts';
import { inputHash, priceTolerance, referenceAtr } from './reviewer.ts';
import type { AiReview } from './schema.ts';
import type { ReviewInput } from './types.ts';

// A market that fell from 112 to a 98-101 range and closes at 100 with ATR 2: the 3-ATR entry band is
// 94-106, and the prices a review may cite are the bars' (94, 95, 97-101, 103-110, 112), the last bar's
// pivots and any price feature; the price tolerance is 0.5 (a quarter ATR, and 0.5% of 100).
const LEG = [
  { open: 110, high: 112, low: 109, close: 110 },
  { open: 108, high: 108, low: 106, close: 107 },
  { open: 105, high: 105, low: 103, close: 104 },
  { open: 97, high: 97, low: 94, close: 95 },
];
function market(features: Record<string, number | null> = { atr_14: 2 }, days = 20): ReviewInput {
  const bars = Array.from({ length: days }, (_, i) => ({
    date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    ...(LEG[i] ?? { open: 99, high: 101, low: 98, close: 100 }),
    volume: 1000,
  }));
  return {
    asset: { id: 1, symbol: 'TEST', assetType: 'equity', name: 'Test Inc.' },
    asOfDate: bars.at(-1)!.date,
    bars,
    features,
    signals: [],
  };
}

function review(plan: Partial<AiReview['trade_plan']> = {}, levels?: AiReview['levels']): AiReview {
  return {
    direction: 'bullish',
    attention_score: 60,
    confidence: 0.6,
    setup_type: 'breakout',
    summary: 'Test.',
    levels: levels ?? { support: [97, 95], resistance: [103, 106] },
    trade_plan: {
      side: 'long',
      entry_zone: { low: 99.5, high: 100.5 },
      stop: 97,
      targets: [103, 106],
      horizon_days: 10,
      invalidation: 'Close below 97',
      ...plan,
    },
    risks: [],
    catalysts: [],
  };
}

const SHORT: Partial<AiReview['trade_plan']> = { side: 'short', stop: 103, targets: [97, 94] };

describe('checkGrounding', () => {
  it('accepts consistent long, short and flat plans', () => {
    expect(checkGrounding(review(), market())).toEqual([]);
    expect(checkGrounding({ ...review(SHORT), direction: 'bearish' }, market())).toEqual([]);
    const flat: Partial<AiReview['trade_plan']> = {
      side: 'none',
      entry_zone: null,
      stop: null,
      targets: [],
      horizon_days: null,
    };
    expect(checkGrounding({ ...review(flat), direction: 'neutral' }, market())).toEqual([]);
  });

  it('rejects a long stop at or above the entry low', () => {
    expect(checkGrounding(review({ stop: 99.5 }), market())).toEqual([
      'long stop 99.5 is not below the entry low 99.5',
    ]);
  });

  it('rejects a short stop at or below the entry high', () => {
    const reasons = checkGrounding({ ...review({ ...SHORT, stop: 100 }), direction: 'bearish' }, market());
    expect(reasons).toEqual(['short stop 100 is not above the entry high 100.5']);
  });

  it('rejects targets on the wrong side of the entry', () => {
    expect(checkGrounding(review({ targets: [100.2, 103] }), market())).toEqual([
      'long targets 100.2 are not above the entry high 100.5',
    ]);
    const short = { ...review({ ...SHORT, targets: [101, 97] }), direction: 'bearish' } as const;
    expect(checkGrounding(short, market())).toEqual(['short targets 101 are not below the entry low 99.5']);
  });

  it('rejects support above resistance', () => {
    expect(checkGrounding(review({}, { support: [97, 104], resistance: [103] }), market())).toEqual([
      'support 104 is not below resistance 103',
    ]);
  });

  it('rejects an entry zone farther than 3 ATR from the last close', () => {
    const far = review({ entry_zone: { low: 106, high: 107 }, stop: 104, targets: [110] });
    expect(checkGrounding(far, market())).toEqual([
      'entry zone 106-107 reaches 3.5 ATR from the last close 100 (max 3)',
    ]);
  });

  it('applies the entry limit the input carries (STRATOS_REVIEW_MAX_ATR)', () => {
    const far = review({ entry_zone: { low: 106, high: 107 }, stop: 104, targets: [110] });
    expect(checkGrounding(far, { ...market(), maxEntryAtr: 4 })).toEqual([]);
    expect(checkGrounding(review(), { ...market(), maxEntryAtr: 0.2 })).toEqual([
      'entry zone 99.5-100.5 reaches 0.25 ATR from the last close 100 (max 0.2)',
    ]);
  });

  it('measures ATR from the bars when the feature is missing', () => {
    // Every bar spans 98-101 around a close of 100: true range 3.
    expect(referenceAtr(market({ atr_14: null }))).toBe(3);
    const at3 = review({ entry_zone: { low: 108, high: 109 }, stop: 105, targets: [112] });
    expect(checkGrounding(at3, market({ atr_14: null }))).toEqual([]);
    const beyond = review({ entry_zone: { low: 109, high: 110 }, stop: 105, targets: [112] });
    expect(checkGrounding(beyond, market({}))).toEqual([
      'entry zone 109-110 reaches 3.33 ATR from the last close 100 (max 3)',
    ]);
  });

  it("rejects side 'none' with an entry zone, a stop or targets", () => {
    const reasons = checkGrounding({ ...review({ side: 'none' }), direction: 'neutral' }, market());
    expect(reasons).toEqual([
      "side 'none' with an entry zone",
      "side 'none' with a stop",
      "side 'none' with targets",
    ]);
  });

  it('rejects an inverted entry zone and a side against the direction', () => {
    const reasons = checkGrounding(
      { ...review({ entry_zone: { low: 100.5, high: 99.5 } }), direction: 'bearish' },
      market(),
    );
    expect(reasons).toEqual([
      'entry zone low 100.5 is above its high 99.5',
      'bearish review with a long plan',
    ]);
  });

  it('measures a market order (no zone) against the last close', () => {
    expect(checkGrounding(review({ entry_zone: null, stop: 100 }), market())).toEqual([
      'long stop 100 is not below the entry low 100',
    ]);
  });
});

describe('checkGrounding: prices taken from the input', () => {
  it('derives the tolerance from the larger of 0.5% of the close and a quarter ATR', () => {
    expect(priceTolerance(market())).toBe(0.5);
    expect(priceTolerance(market({ atr_14: 8 }))).toBe(2);
    expect(priceTolerance(market({ atr_14: 0.4 }))).toBe(0.5);
    // No ATR feature: the bars' mean true range, 3.
    expect(priceTolerance(market({}))).toBe(0.75);
  });

  it('accepts prices within the tolerance of a bar price, a price feature or a pivot of the last bar', () => {
    // bb_upper_20 115 and dc_lower_55 91 are features; the last bar (99/101/98/100) has pivot_r2 102.67.
    const input = market({ atr_14: 2, bb_upper_20: 115, dc_lower_55: 91 });
    const wide = review(
      { stop: 94.6, targets: [102.5, 114.6] },
      { support: [97.4, 91], resistance: [102.67, 115.3] },
    );
    expect(checkGrounding(wide, input)).toEqual([]);
  });

  it('rejects every level and plan price near no price of the input, naming the nearest', () => {
    const made = review({ stop: 93, targets: [103, 118] }, { support: [97, 92.2], resistance: [118] });
    expect(checkGrounding(made, market())).toEqual([
      'support 92.2 is not within 0.5 of any price in the input (nearest 94); use the prices given',
      'resistance 118 is not within 0.5 of any price in the input (nearest 112); use the prices given',
      'stop 93 is not within 0.5 of any price in the input (nearest 94); use the prices given',
      'target 118 is not within 0.5 of any price in the input (nearest 112); use the prices given',
    ]);
  });

  it('only counts the bars the prompt shows (the last 30), not older ones in the input', () => {
    // With 40 bars the leg from 112 is older than the 30 shown: 110 and 112 are no longer prices.
    const long = market({ atr_14: 2 }, 40);
    const target = review({ targets: [103, 110] }, { support: [97], resistance: [101.3] });
    expect(checkGrounding(target, market())).toEqual([]);
    expect(checkGrounding(target, long)).toEqual([
      'target 110 is not within 0.5 of any price in the input (nearest 102.667); use the prices given',
    ]);
  });

  it('checks against an explicit price list when given one', () => {
    const plan = review({ stop: 97, targets: [103] }, { support: [97], resistance: [103] });
    expect(checkGrounding(plan, market(), [97, 99.5, 100.5, 103])).toEqual([]);
    expect(checkGrounding(plan, market(), [])).toEqual(
      [
        'support 97',
        'resistance 103',
        'entry zone low 99.5',
        'entry zone high 100.5',
        'stop 97',
        'target 103',
      ].map(
        (p) =>
          `${p} is not within 0.5 of any price in the input (the input has no prices); use the prices given`,
      ),
    );
  });
});

describe('inputHash', () => {
  it('is a stable SHA-256 hex digest of the input, model and prompt version', async () => {
    const input = syntheticInput(7);
    const hash = await inputHash(input, 'gpt-4o-mini', 'review-v1');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await inputHash(structuredClone(input), 'gpt-4o-mini', 'review-v1')).toBe(hash);
    expect(await inputHash(input, 'gpt-4o', 'review-v1')).not.toBe(hash);
    expect(await inputHash(input, 'gpt-4o-mini', 'review-v2')).not.toBe(hash);
  });

  it('ignores object key order but not values', async () => {
    const input = market();
    const reordered: ReviewInput = {
      signals: [],
      features: { atr_14: 2 },
      bars: input.bars.map(({ volume, close, low, high, open, date }) => ({
        volume,
        close,
        low,
        high,
        open,
        date,
      })),
      asOfDate: input.asOfDate,
      asset: { name: 'Test Inc.', assetType: 'equity', symbol: 'TEST', id: 1 },
    };
    const hash = await inputHash(input, 'rules', 'rules-v1');
    expect(await inputHash(reordered, 'rules', 'rules-v1')).toBe(hash);
    const changed = structuredClone(input);
    changed.bars.at(-1)!.close = 100.01;
    expect(await inputHash(changed, 'rules', 'rules-v1')).not.toBe(hash);
  });

  it('matches an independently computed digest of the canonical JSON', async () => {
    const { createHash } = await import('node:crypto');
    const input = market();
    input.bars = input.bars.slice(0, 1);
    const canonical =
      '{"input":{"asOfDate":"2026-01-20","asset":{"assetType":"equity","id":1,"name":"Test Inc.","symbol":"TEST"},' +
      '"bars":[{"close":110,"date":"2026-01-01","high":112,"low":109,"open":110,"volume":1000}],' +
      '"features":{"atr_14":2},"signals":[]},"model":"m","promptVersion":"p"}';
    expect(await inputHash(input, 'm', 'p')).toBe(createHash('sha256').update(canonical).digest('hex'));
  });
});
