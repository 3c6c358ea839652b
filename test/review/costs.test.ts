import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewCosts, ReviewCostsQuery } from '../../shared/api/contracts/reviews.ts';
import { reviewRunCosts } from '../../shared/review/costs.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// Review runs as the queue leaves them (summary counters and spend, timestamps, per-asset errors),
// written directly so that each field has a known value; faults.test.ts checks a real run end to end.

describe('reviewRunCosts', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { sql } = db;
    const run = async (
      stage: string,
      date: string,
      universe: string,
      status: string,
      summary: Record<string, unknown>,
      seconds: number | null,
    ) => {
      const [row] = await sql<{ id: number }[]>`
        insert into pipeline_runs (stage, run_date, universe, status, summary, started_at, finished_at)
        values (${stage}, ${date}, ${universe}, ${status}, ${sql.json(summary as never)},
          '2026-11-20T06:00:00Z',
          ${seconds === null ? null : new Date(Date.parse('2026-11-20T06:00:00Z') + seconds * 1000)})
        returning id::int`;
      return row!.id;
    };
    const paid = await run(
      'review',
      '2026-11-19',
      'equity_all',
      'partial',
      {
        reviewed: 40,
        cached: 10,
        invalid: 3,
        pending: 5,
        cheap: 12,
        unpriced: 0,
        tokens_in: 95_000,
        tokens_out: 21_000,
        cost_usd: 0.0716,
      },
      64.25,
    );
    const [asset] = await sql<{ id: number }[]>`
      insert into assets (symbol, asset_type) values ('ERR', 'equity') returning id::int`;
    await sql`insert into pipeline_asset_errors (run_id, asset_id, error) values (${paid}, ${asset!.id}, 'HTTP 500')`;
    await run(
      'review',
      '2026-11-20',
      'crypto_all',
      'succeeded',
      { reviewed: 8, cached: 0, invalid: 0, unpriced: 2, tokens_in: 9000, tokens_out: 2000, cost_usd: 0.001 },
      12,
    );
    await run('review', '2026-11-20', 'equity_all', 'running', {}, null);
    await run('signals', '2026-11-20', 'equity_all', 'succeeded', { facts: 12 }, 3);
  });
  afterAll(() => db.drop());

  it('lists review runs newest first with their counts, tokens, cost, errors and wall time', async () => {
    const costs = ReviewCosts.parse(await reviewRunCosts(db.sql));
    expect(costs.items.map((i) => [i.run_date, i.universe, i.status])).toEqual([
      ['2026-11-20', 'crypto_all', 'succeeded'],
      ['2026-11-20', 'equity_all', 'running'],
      ['2026-11-19', 'equity_all', 'partial'],
    ]);
    expect(costs.items[2]).toMatchObject({
      asset_type: 'equity',
      count: 50,
      reviewed: 40,
      cached: 10,
      invalid: 3,
      pending: 5,
      errors: 1,
      tokens_in: 95_000,
      tokens_out: 21_000,
      cost_usd: 0.0716,
      unpriced: 0,
      started_at: '2026-11-20T06:00:00.000Z',
      finished_at: '2026-11-20T06:01:04.250Z',
      wall_ms: 64_250,
    });
  });

  it('gives no total cost when a model had no price, and no wall time while a run is in progress', async () => {
    const { items } = await reviewRunCosts(db.sql);
    expect(items[0]).toMatchObject({
      asset_type: 'crypto',
      count: 8,
      unpriced: 2,
      cost_usd: null,
      wall_ms: 12_000,
    });
    expect(items[1]).toMatchObject({
      count: 0,
      tokens_in: 0,
      cost_usd: 0,
      errors: 0,
      finished_at: null,
      wall_ms: null,
    });
  });

  it('keeps runs dated within from and to', async () => {
    const day = await reviewRunCosts(db.sql, { from: '2026-11-19', to: '2026-11-19' });
    expect(day).toMatchObject({ from: '2026-11-19', to: '2026-11-19' });
    expect(day.items.map((i) => i.universe)).toEqual(['equity_all']);
    expect((await reviewRunCosts(db.sql, { from: '2026-11-20' })).items).toHaveLength(2);
    expect((await reviewRunCosts(db.sql, { to: '2026-11-18' })).items).toEqual([]);
    expect(ReviewCostsQuery.safeParse({ from: '2026-11-20', to: '2026-11-19' }).success).toBe(false);
    expect(ReviewCostsQuery.safeParse({ from: '2026-11-19', extra: '1' }).success).toBe(false);
  });
});
