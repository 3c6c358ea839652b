import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import { addDays } from '../../shared/calendar/index.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { reviewScorecard } from '../../shared/review/scorecard.ts';
import { reviewDates } from '../../shared/stages/review/index.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';

// The demo's review history (npm start on an empty database): the review run of the latest day also
// reviews earlier days, so the review scorecard, calibration and asset review history have verdicts
// with later bars to score.

describe('review history', () => {
  it('reviews every n-th trading day counted back from the run date, oldest first', () => {
    const history = { from: '2026-11-01', every: 5, limit: 3 };
    expect(reviewDates('crypto', TEST_DATE, history)).toEqual([
      '2026-11-05',
      '2026-11-10',
      '2026-11-15',
      '2026-11-20',
    ]);
    // NYSE days only: 2026-11-20 is a Friday; five sessions back is the Friday before.
    expect(reviewDates('equity', TEST_DATE, history)).toEqual(['2026-11-06', '2026-11-13', TEST_DATE]);
    expect(reviewDates('equity', TEST_DATE)).toEqual([TEST_DATE]);
  });

  describe('through the review stage', () => {
    let db: TestDatabase;
    let ctx: PipelineContext;
    const history = { from: addDays(TEST_DATE, -60), every: 10, limit: 3 };
    const rerun = async () => {
      const [run] = await triggerRun(ctx, {
        stage: 'review',
        date: TEST_DATE,
        universe: 'crypto_all',
        reviewHistory: history,
      });
      await drainUntilIdle(ctx, 'history-test');
      return (await listRuns(ctx, { ids: [run!.id] }))[0]!;
    };

    beforeAll(async () => {
      ({ db, ctx } = await createPipelineFixture());
      await seedAndRun(ctx);
    });
    afterAll(() => db.drop());

    it('stores the past days’ reviews beside the run date’s, and scores them against later bars', async () => {
      const before = await reviewScorecard(ctx.sql, { asset_type: 'crypto' });
      expect(before.reviews).toBe(10);
      const run = await rerun();
      expect(run.status).toBe('succeeded');
      const dates = reviewDates('crypto', TEST_DATE, history);
      const perDate = await ctx.sql<{ date: string; n: number }[]>`
        select v.as_of_date::text as date, count(*)::int as n
        from asset_ai_reviews v join assets a on a.id = v.asset_id
        where a.asset_type = 'crypto' group by 1 order by 1`;
      // The run date keeps its limit (STRATOS_REVIEW_LIMIT=10), each earlier day gets history.limit.
      expect(perDate).toEqual(dates.map((date) => ({ date, n: date === TEST_DATE ? 10 : history.limit })));
      expect(run.summary).toMatchObject({ reviewed: (dates.length - 1) * history.limit, cached: 10 });

      const after = await reviewScorecard(ctx.sql, { asset_type: 'crypto' });
      expect(after.reviews).toBe(10 + (dates.length - 1) * history.limit);
      // Reviews 20 or more days back have all three horizons of later bars.
      for (const verdict of after.verdicts.filter((v) => v.n > 0)) {
        expect(verdict.horizons.find((h) => h.horizon === 20)!.n).toBeGreaterThan(0);
      }
    });

    it('converges: running it again reviews nothing anew and changes no row', async () => {
      const reviews = () => ctx.sql`
        select asset_id, as_of_date::text, model, status, direction, confidence, summary, review, input_hash
        from asset_ai_reviews order by 1, 2, 3`;
      const rows = await reviews();
      const run = await rerun();
      const past = reviewDates('crypto', TEST_DATE, history).length - 1;
      expect(run.summary).toMatchObject({ reviewed: 0, cached: 10 + past * history.limit });
      expect(await reviews()).toEqual(rows);
    });
  });
});
