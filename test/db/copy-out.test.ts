import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../shared/db/client.ts';
import { copyOutRows } from '../../shared/db/copy-out.ts';
import { float8s, int4s, packColumns } from '../../shared/db/packed.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

describe('copyOutRows: binary COPY rows as raw field bytes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('gives packed columns back aligned and exact, null as NaN, and no rows as nothing', async () => {
    const rows = await copyOutRows(
      db.sql,
      `select ${packColumns([{ sql: 'g', int4: true }, { sql: 'x' }])}, null::bytea
       from (select g, case when g = 2 then null when g = 3 then 1e300 + g else g * 1.5 end::float8 as x
             from generate_series(1, 4) g) t`,
    );
    expect(rows).toHaveLength(1);
    const [ids, values, none] = rows[0]!;
    // Unordered aggregates of one query align: each id keeps its value.
    const byId = new Map([...int4s(ids!)].map((id, k) => [id, float8s(values!)[k]]));
    expect([...byId].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 1.5],
      [2, Number.NaN],
      [3, 1e300],
      [4, 6],
    ]);
    expect(none).toBeNull();
    expect(await copyOutRows(db.sql, 'select 1 where false')).toEqual([]);
  });

  it('sends bytea as its bytes, not hex', async () => {
    const [[bytes]] = (await copyOutRows(db.sql, `select '\\x00ff10'::bytea`)) as [[Uint8Array]];
    expect([...bytes]).toEqual([0, 255, 16]);
  });

  it('leaves the connection usable after results of every size (postgres.js left its socket paused)', async () => {
    // One connection: a paused socket would hang the next query. 2,000 rows (20 kB) arriving in one read
    // before the listener was attached hung it before the resume after the end.
    const one: Sql = connect(db.url, { max: 1 });
    try {
      for (const n of [10, 2000, 3000, 6000, 50_000]) {
        const rows = await copyOutRows(one, `select g::int4 from generate_series(1, ${n}) g`);
        expect(rows.length).toBe(n);
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
