import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratos } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

describe('stratos seed-demo', () => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('seeds the rules reviewer’s history as `npm start` does, so the review scorecard has past verdicts', async () => {
    const date = '2026-11-20';
    const res = await stratos('seed-demo', '--date', date);
    expect(res.code, res.output).toBe(0);
    const days = await db.sql<{ as_of_date: string }[]>`
      select distinct as_of_date::text from asset_ai_reviews order by 1`;
    // Every 20th trading day of the last 180 calendar days, plus the run date itself.
    expect(days.length).toBeGreaterThan(4);
    expect(days.at(-1)!.as_of_date).toBe(date);
    expect(days[0]!.as_of_date < '2026-07-01').toBe(true);
  }, 180_000);
});
