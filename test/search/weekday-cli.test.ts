import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratos } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { seedWeekdaySearch } from './weekday-fixture.ts';

describe('stratos weekday', () => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    await seedWeekdaySearch(db.sql, 1);
  }, 180_000);
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('prints the close’s candidates → shortlist → picks and trades them in a weekday portfolio the next session', async () => {
    const first = await stratos(
      'weekday',
      '--date',
      '2026-11-24',
      '--shortlist',
      '5',
      '--top',
      '2',
      '--portfolio',
      'wk',
    );
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(
      /weekday 2026-11-24: picked\. 2 variations of group .* all pick \d+ of 40 tickers/,
    );
    expect(first.output).toMatch(/^rank {2}symbol/m);
    expect(first.output).toMatch(
      /portfolio wk: 1 new session\(s\), 0 fill\(s\); equity at 2026-11-24 100000\.00/,
    );
    const second = await stratos(
      'weekday',
      '--date',
      '2026-11-25',
      '--shortlist',
      '5',
      '--top',
      '2',
      '--portfolio',
      'wk',
    );
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/portfolio wk: 1 new session\(s\), 4 fill\(s\)/);
    expect(second.output.match(/entry:signal search_pick/g)).toHaveLength(2);
    const [kind] = await db.sql`select kind, last_date::text from portfolios where id = 'wk'`;
    expect(kind).toEqual({ kind: 'weekday', last_date: '2026-11-25' });
  });

  it('refuses bad options and a close without bars with exit 2 and one readable line', async () => {
    const top = await stratos('weekday', '--date', '2026-11-24', '--top', '0');
    expect(top.code).toBe(2);
    expect(top.output).toMatch(/--top must be a whole number from 1 to 100/);
    const over = await stratos('weekday', '--date', '2026-11-24', '--top', '9', '--shortlist', '5');
    expect(over.code).toBe(2);
    expect(over.output).toMatch(/--top 9 exceeds --shortlist 5/);
    const date = await stratos('weekday', '--date', '2026-11-31');
    expect(date.code).toBe(2);
    const closed = await stratos('weekday', '--date', '2026-11-29');
    expect(closed.code).toBe(2);
    expect(closed.output).toMatch(/no equity bars stored for 2026-11-29/);
  });
});
