import { describe, expect, it } from 'vitest';
import { syntheticInput, syntheticInputs } from '../../test/support/review-fixtures.ts';
import { checkGrounding } from './grounding.ts';
import { currentPrompt } from './prompt.ts';
import { createRulesReviewer } from './rules.ts';
import { AiReview } from './schema.ts';
import type { ReviewSignal } from './types.ts';

const reviewer = createRulesReviewer();
const signal = (template: string, direction: ReviewSignal['direction'], strength: number): ReviewSignal => ({
  template,
  direction,
  strength,
  evidence: {},
});

async function reviewOf(...args: Parameters<typeof syntheticInput>): Promise<AiReview> {
  const outcome = await reviewer.review(syntheticInput(...args));
  expect(outcome.status).toBe('valid');
  return outcome.review!;
}

describe('rules reviewer', () => {
  it('identifies itself as rules, without tokens', async () => {
    expect(reviewer.model).toBe('rules');
    expect(reviewer.promptVersion).toBe('rules-v2');
    const outcome = await reviewer.review(syntheticInput(1));
    expect(outcome).toMatchObject({ tokensIn: 0, tokensOut: 0, attempts: 1, reasons: [] });
    expect(outcome.review!.summary).toMatch(/^Rules-based review \(deterministic, not an LLM\)/);
  });

  it('gives the same review for the same input, across instances', async () => {
    for (const input of syntheticInputs()) {
      const a = await reviewer.review(input);
      const b = await createRulesReviewer().review(structuredClone(input));
      expect(b.review).toEqual(a.review);
      expect(b.raw).toEqual(a.raw);
    }
  });

  it('always produces a schema-valid, grounded review', async () => {
    const inputs = syntheticInputs();
    const sides = new Set<string>();
    for (const input of inputs) {
      const outcome = await reviewer.review(input);
      expect(outcome.status, input.asset.symbol).toBe('valid');
      expect(AiReview.parse(outcome.review)).toEqual(outcome.review);
      expect(checkGrounding(outcome.review!, input), input.asset.symbol).toEqual([]);
      sides.add(outcome.review!.trade_plan.side);
    }
    // The set must exercise every kind of plan, or the grounding claim is hollow.
    expect([...sides].sort()).toEqual(['long', 'none', 'short']);
  });

  it('takes the side of the net signal strength', async () => {
    const bull = await reviewOf(3, {
      signals: [signal('golden_cross', 'bullish', 80), signal('rsi_overbought', 'bearish', 30)],
    });
    expect(bull.direction).toBe('bullish');
    expect(bull.trade_plan.side).toBe('long');
    const bear = await reviewOf(3, { signals: [signal('death_cross', 'bearish', 70)] });
    expect(bear.direction).toBe('bearish');
    expect(bear.trade_plan.side).toBe('short');
    const balanced = await reviewOf(3, {
      signals: [signal('golden_cross', 'bullish', 60), signal('death_cross', 'bearish', 55)],
    });
    expect(balanced.direction).toBe('neutral');
    expect(balanced.trade_plan).toMatchObject({ side: 'none', entry_zone: null, stop: null, targets: [] });
  });

  it('scores attention from the strongest signal and the count, confidence from agreement', async () => {
    const one = await reviewOf(4, { signals: [signal('golden_cross', 'bullish', 50)] });
    const three = await reviewOf(4, {
      signals: [
        signal('golden_cross', 'bullish', 50),
        signal('macd_bullish_cross', 'bullish', 40),
        signal('breakout_volume', 'bullish', 30),
      ],
    });
    const split = await reviewOf(4, {
      signals: [signal('golden_cross', 'bullish', 50), signal('death_cross', 'bearish', 35)],
    });
    const none = await reviewOf(4, { signals: [] });
    expect(one.attention_score).toBe(41);
    expect(three.attention_score).toBe(53);
    expect(none.attention_score).toBe(0);
    expect(three.confidence).toBeGreaterThan(one.confidence);
    expect(one.confidence).toBeGreaterThan(split.confidence);
    expect(none.confidence).toBe(0.2);
  });

  it('labels the setup from the templates that fired', async () => {
    const setup = async (...s: ReviewSignal[]) => (await reviewOf(5, { signals: s })).setup_type;
    expect(await setup(signal('trend_breakdown', 'bearish', 70))).toBe('breakdown');
    expect(await setup(signal('breakout_volume', 'bullish', 70))).toBe('breakout');
    expect(await setup(signal('rsi_oversold', 'bullish', 70))).toBe('mean_reversion');
    expect(await setup(signal('golden_cross', 'bullish', 70))).toBe('trend_continuation');
    expect(await setup(signal('9_day_gap', 'bullish', 70))).toBe('s_9_day_gap');
    expect(await setup()).toBe('range');
  });

  it("plans on the prompt's prices: entry ±0.2 ATR, stop and targets at the prices nearest 1.5 and 3 ATR", async () => {
    const input = syntheticInput(6, {
      price: 100,
      vol: 0.02,
      signals: [signal('breakout_volume', 'bullish', 80)],
    });
    const close = input.bars.at(-1)!.close;
    const atr = input.features.atr_14!;
    const prices = currentPrompt.prices(input);
    const plan = (await reviewer.review(input)).review!.trade_plan;
    expect(plan.entry_zone!.low).toBeCloseTo(close - 0.2 * atr, 2);
    expect(plan.entry_zone!.high).toBeCloseTo(close + 0.2 * atr, 2);
    // Each is an input price (to the cent) and, of the prices at least half an ATR beyond the zone and
    // within reach, the one nearest its ATR ideal.
    const pick = (ideal: number, from: number, to: number) => {
      const eligible = prices.filter((p) => p >= from && p <= to);
      return eligible.reduce((a, b) => (Math.abs(b - ideal) < Math.abs(a - ideal) ? b : a));
    };
    expect(plan.stop).toBeCloseTo(pick(close - 1.5 * atr, close - 3 * atr, close - 0.7 * atr), 2);
    expect(plan.targets).toHaveLength(2);
    expect(plan.targets[0]).toBeCloseTo(pick(close + 1.5 * atr, close + 0.7 * atr, close + 4.5 * atr), 2);
    expect(plan.targets[1]).toBeCloseTo(pick(close + 3 * atr, close + 0.7 * atr, close + 4.5 * atr), 2);
    expect(plan.targets[1]).toBeGreaterThan(plan.targets[0]!);
    expect(plan.horizon_days).toBe(10);
    expect(plan.invalidation).toBe(`A daily close below ${plan.stop}`);
  });

  it('stands aside when no input price lies where a stop or target belongs', async () => {
    // Bars that barely move under a forced ATR of 2: nothing in the data is 0.7-4.5 ATR from the close.
    const quiet = await reviewOf(6, {
      price: 100,
      vol: 0.001,
      signals: [signal('breakout_volume', 'bullish', 80)],
      features: { atr_14: 2, bb_upper_20: null, bb_lower_20: null },
    });
    expect(quiet.direction).toBe('bullish');
    expect(quiet.trade_plan).toMatchObject({ side: 'none', entry_zone: null, stop: null, targets: [] });
    expect(quiet.trade_plan.invalidation).toMatch(/^No position: no price in the data/);
  });

  it('takes levels from swings and features, split at the last close, nearest first', async () => {
    // A steady climb: every confirmed swing sits several ATR below the close.
    const shape = { price: 100, drift: 0.01, vol: 0.002, signals: [] };
    const close = syntheticInput(8, shape).bars.at(-1)!.close;
    const features = {
      atr_14: 1,
      bb_upper_20: null,
      bb_lower_20: close - 3,
      prior_low_20: null,
      sma_200: close - 0.6,
      sma_50: close - 0.65,
      prior_high_20: close + 0.7,
    };
    const { support, resistance } = (await reviewOf(8, { ...shape, features })).levels;
    const cents = (x: number) => Number(x.toFixed(2));
    // sma_50 lies within a quarter ATR of sma_200: one zone, one level.
    expect(support).toEqual([cents(close - 0.6), cents(close - 3)]);
    expect(resistance).toEqual([cents(close + 0.7)]);
  });

  it('names volatility, volume and RSI risks', async () => {
    const review = await reviewOf(9, {
      assetType: 'equity',
      signals: [signal('golden_cross', 'bullish', 70), signal('death_cross', 'bearish', 20)],
      features: { vol_20: 0.8, rvol_20: 0.3, rsi_14: 82, adx_14: 12 },
    });
    expect(review.risks.join('\n')).toMatch(/volatility is high \(80% annualised\)/);
    expect(review.risks.join('\n')).toMatch(/Volume is 0.3x its 20-day average/);
    expect(review.risks.join('\n')).toMatch(/RSI 82 is overbought/);
    expect(review.risks.join('\n')).toMatch(/ADX 12 shows a weak trend/);
    expect(review.risks.join('\n')).toMatch(/Conflicting signals: death_cross/);
    const calm = await reviewOf(9, { signals: [], features: { vol_20: 0.2, rvol_20: 1.1, rsi_14: 50 } });
    expect(calm.risks).toEqual(['Mechanical ATR plan: it ignores news, earnings and the broader market.']);
  });

  it('stands aside when ATR is missing or dwarfs the price', async () => {
    const flat = await reviewOf(10, {
      vol: 0,
      drift: 0,
      signals: [signal('golden_cross', 'bullish', 90)],
      features: { atr_14: null },
    });
    expect(flat.trade_plan.side).toBe('none');
    expect(flat.trade_plan.invalidation).toMatch(/no ATR/);
    const wild = await reviewOf(10, {
      signals: [signal('golden_cross', 'bullish', 90)],
      features: { atr_14: 1e9 },
    });
    expect(wild.trade_plan.side).toBe('none');
    expect(wild.direction).toBe('bullish');
  });

  it('returns an invalid outcome, not a made-up review, without bars', async () => {
    const outcome = await reviewer.review(syntheticInput(11, { bars: 0 }));
    expect(outcome).toMatchObject({ status: 'invalid', review: null, reasons: ['no bars to review'] });
  });
});
