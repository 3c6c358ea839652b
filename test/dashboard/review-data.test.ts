import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../dashboard/src/api/client.ts';
import {
  costTotals,
  formatUsd,
  invalidRaw,
  invalidReasons,
  planRates,
} from '../../dashboard/src/components/reviews/reviewData.ts';
import { writeErrorMessage } from '../../dashboard/src/lib/writeError.ts';
import type { ReviewCostRun } from '../../shared/api/contracts/reviews.ts';

describe('invalid reviews', () => {
  it('reads the rejection reasons the review stage stores in place of the review', () => {
    const stored = { raw: '{"direction":"up"}', reasons: ['stop above entry', 7, 'number 42 not in input'] };
    expect(invalidReasons(stored)).toEqual(['stop above entry', 'number 42 not in input']);
    expect(invalidRaw(stored)).toBe('{"direction":"up"}');
  });

  it('finds no reasons in a valid review', () => {
    expect(invalidReasons({ summary: 'fine', trade_plan: {} })).toEqual([]);
    expect(invalidRaw({})).toBeNull();
  });
});

describe('costTotals', () => {
  const run = (over: Partial<ReviewCostRun>): ReviewCostRun => ({
    run_id: 1,
    run_date: '2026-01-02',
    universe: 'equity_all',
    asset_type: 'equity',
    status: 'succeeded',
    count: 10,
    reviewed: 8,
    cached: 2,
    invalid: 1,
    pending: 0,
    errors: 0,
    tokens_in: 1000,
    tokens_out: 200,
    cost_usd: 0.04,
    unpriced: 0,
    started_at: '2026-01-02T22:30:00Z',
    finished_at: '2026-01-02T22:31:00Z',
    wall_ms: 60_000,
    ...over,
  });

  it('sums runs and prices the reviews written, not the cache hits', () => {
    const t = costTotals([run({}), run({ run_id: 2, count: 5, reviewed: 0, cached: 5, cost_usd: 0 })]);
    expect(t).toMatchObject({ runs: 2, reviewed: 8, cached: 7, invalid: 2, tokensIn: 2000, unpricedRuns: 0 });
    expect(t.costUsd).toBeCloseTo(0.04);
    expect(t.costPerReview).toBeCloseTo(0.005);
  });

  it('counts unpriced runs apart and gives no mean that would understate the cost', () => {
    const t = costTotals([run({ cost_usd: null, unpriced: 8 }), run({ run_id: 2 })]);
    expect(t.unpricedRuns).toBe(1);
    expect(t.costUsd).toBeCloseTo(0.04);
    expect(t.costPerReview).toBeNull();
  });

  it('has no per-review cost when nothing was written or there are no runs', () => {
    expect(costTotals([run({ reviewed: 0, cached: 10 })]).costPerReview).toBeNull();
    expect(costTotals([]).costPerReview).toBeNull();
  });
});

describe('planRates', () => {
  it('shares are of the plans that entered and played out; open and never-entered ones are apart', () => {
    expect(planRates({ stop_first: 3, target_first: 4, neither: 1 })).toEqual({
      closed: 8,
      stopFirst: 3 / 8,
      targetFirst: 0.5,
      neither: 1 / 8,
    });
  });

  it('has no rates before any plan played out', () => {
    expect(planRates({ stop_first: 0, target_first: 0, neither: 0 }).stopFirst).toBeNull();
  });
});

describe('formatUsd', () => {
  it('shows fractions of a cent', () => {
    expect(formatUsd(0.00123)).toBe('$0.00123');
    expect(formatUsd(0.0512)).toBe('$0.051');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(null)).toBe('—');
    expect(formatUsd(0)).toBe('$0');
  });
});

describe('writeErrorMessage', () => {
  it('says a missing credential (401) needs the admin token', () => {
    const r = writeErrorMessage(new ApiRequestError('missing or invalid credentials', 401));
    expect(r.refused).toBe(true);
    expect(r.message).toMatch(/admin token/);
  });

  it('says read-only credentials (403) cannot write', () => {
    const r = writeErrorMessage(new ApiRequestError('forbidden', 403));
    expect(r).toEqual({ refused: true, message: expect.stringMatching(/can read but not write/) });
  });

  it('passes other failures through with their status', () => {
    expect(writeErrorMessage(new ApiRequestError('invalid cron', 400))).toEqual({
      refused: false,
      message: 'invalid cron (HTTP 400)',
    });
  });
});
