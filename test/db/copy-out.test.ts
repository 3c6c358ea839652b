import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../shared/db/client.ts';
import { copyOutColumns } from '../../shared/db/copy-out.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

describe('copyOutColumns: binary COPY into typed columns', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('decodes int4 and float8 fields in row order, null as NaN, and an empty result as empty columns', async () => {
    const [ids, values] = await copyOutColumns(
      db.sql,
      `select g::int4, case when g = 2 then null else g * 1.5 + 1e300 * (g = 3)::int end::float8
       from generate_series(1, 4) g order by g`,
      ['int4', 'float8'],
    );
    expect([...ids!]).toEqual([1, 2, 3, 4]);
    expect([...values!]).toEqual([1.5, Number.NaN, 4.5 + 1e300, 6]);
    const empty = await copyOutColumns(db.sql, 'select 1::int4 where false', ['int4']);
    expect(empty[0]!.length).toBe(0);
  });

  it('refuses rows of another width than the fields named', async () => {
    await expect(copyOutColumns(db.sql, 'select 1::int4, 2::int4', ['int4'])).rejects.toThrow(
      /row of 2 fields, expected 1/,
    );
  });

  it('leaves the connection usable after results of every size (postgres.js left its socket paused)', async () => {
    // One connection: a paused socket would hang the next query. 2,000 rows (20 kB) arriving in one read
    // before the listener is attached hung it before the resume after the end.
    const one: Sql = connect(db.url, { max: 1 });
    try {
      for (const n of [10, 2000, 3000, 6000, 50_000]) {
        const [g] = await copyOutColumns(one, `select g::int4 from generate_series(1, ${n}) g`, ['int4']);
        expect(g!.length).toBe(n);
        const next = await Promise.race([
          one`select 1 as ok`.then((r) => r[0]!.ok as number),
          new Promise((resolve) => setTimeout(() => resolve('hung'), 5000)),
        ]);
        expect(next, `after ${n} rows`).toBe(1);
      }
    } finally {
      await one.end({ timeout: 1 });
    }
  });
});
