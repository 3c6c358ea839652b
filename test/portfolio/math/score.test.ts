import { describe, expect, it } from 'vitest';
import {
  type CompositeScore,
  compositeScores,
  DEFAULT_SCORE_CONFIG,
  type ScoreInput,
} from '../../../shared/portfolio/score/index.ts';

const base = (asset: string, over: Partial<ScoreInput> = {}): ScoreInput => ({
  asset,
  date: '2024-03-01',
  momentum: {},
  sentiment: null,
  signals: [],
  review: null,
  ...over,
});

const byAsset = (scores: CompositeScore[]) => Object.fromEntries(scores.map((s) => [s.asset, s]));

describe('compositeScores', () => {
  it('leaves an abstaining component out of numerator and denominator, never counting it as neutral', () => {
    const weights = { momentum: 0, sentiment: 1, signals: 1, review: 2 };
    const [withAll, noReview] = compositeScores(
      [
        base('A', {
          sentiment: 0.5,
          signals: [{ direction: 'bullish' }],
          review: { direction: 'bearish', confidence: 0.8 },
        }),
        base('B', { sentiment: 0.5, signals: [{ direction: 'bullish' }], review: null }),
      ],
      { weights, momentumHorizons: [] },
    );
    // A: (1 × 0.5 + 1 × 1 + 2 × -0.8) / 4 = -0.025. B: the review abstains, (0.5 + 1) / 2 = 0.75 (a neutral
    // review would have given (0.5 + 1 + 0) / 4 = 0.375).
    expect(withAll!.score).toBeCloseTo(-0.025, 12);
    expect(noReview!.score).toBeCloseTo(0.75, 12);
    expect(noReview!.components).toEqual({ momentum: null, sentiment: 0.5, signals: 1, review: null });
  });

  it('scores null when every component abstains, and a neutral review is an opinion of 0', () => {
    const s = byAsset(
      compositeScores(
        [base('SILENT'), base('NEUTRAL', { review: { direction: 'neutral', confidence: 0.9 } })],
        DEFAULT_SCORE_CONFIG,
      ),
    );
    expect(s.SILENT!.score).toBeNull();
    expect(s.NEUTRAL!.score).toBe(0);
    expect(s.NEUTRAL!.components.review).toBe(0);
  });

  it('nets signals by strength and direction; neutral signals abstain', () => {
    const [s] = compositeScores(
      [
        base('A', {
          signals: [
            { direction: 'bullish', strength: 3 },
            { direction: 'bearish', strength: 1 },
            { direction: 'neutral', strength: 5 },
          ],
        }),
      ],
      DEFAULT_SCORE_CONFIG,
    );
    expect(s!.components.signals).toBe(0.5);
    const [onlyNeutral] = compositeScores(
      [base('A', { signals: [{ direction: 'neutral' }] })],
      DEFAULT_SCORE_CONFIG,
    );
    expect(onlyNeutral!.components.signals).toBeNull();
  });

  it('normalises momentum across the assets of a date: z-score by population stddev, clipped at 3, over 3', () => {
    // Horizon 20 returns 0.1, 0.2, 0.3, 0.4: mean 0.25, population sd √0.0125 = 0.1118034; z of 0.4 =
    // 1.3416408, component 0.4472136. Horizon 60 has one value (D's), so it says nothing.
    const scores = byAsset(
      compositeScores(
        [
          base('A', { momentum: { 20: 0.1, 60: null } }),
          base('B', { momentum: { 20: 0.2 } }),
          base('C', { momentum: { 20: 0.3 } }),
          base('D', { momentum: { 20: 0.4, 60: 0.5 } }),
          // Another date is its own cross-section: a single asset there has no momentum opinion.
          base('E', { date: '2024-03-04', momentum: { 20: 5 } }),
        ],
        { weights: { momentum: 1, sentiment: 0, signals: 0, review: 0 }, momentumHorizons: [20, 60] },
      ),
    );
    expect(scores.D!.components.momentum).toBeCloseTo(1.3416407865 / 3, 9);
    expect(scores.A!.components.momentum).toBeCloseTo(-1.3416407865 / 3, 9);
    expect(scores.E!.components.momentum).toBeNull();
    expect(scores.E!.score).toBeNull();
  });

  it('clips a momentum outlier at z = 3 (component 1)', () => {
    const inputs = Array.from({ length: 20 }, (_, i) =>
      base(`A${i}`, { momentum: { 20: i === 0 ? 100 : 0.01 * i } }),
    );
    const [outlier] = compositeScores(inputs, DEFAULT_SCORE_CONFIG);
    expect(outlier!.components.momentum).toBe(1);
  });

  it('clamps sentiment to [-1, 1], drops a non-finite one, and refuses negative weights', () => {
    const s = byAsset(
      compositeScores(
        [base('A', { sentiment: 3 }), base('B', { sentiment: Number.NaN })],
        DEFAULT_SCORE_CONFIG,
      ),
    );
    expect(s.A!.components.sentiment).toBe(1);
    expect(s.B!.components.sentiment).toBeNull();
    expect(() =>
      compositeScores([base('A')], {
        ...DEFAULT_SCORE_CONFIG,
        weights: { ...DEFAULT_SCORE_CONFIG.weights, review: -1 },
      }),
    ).toThrow(/score weight review/);
  });
});
