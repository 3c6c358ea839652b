import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSET_FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import type { AssetFeatures } from '../../shared/features/compute.ts';
import {
  copyFeatureBlocks,
  type FeatureBlock,
  upsertFeatureBlocks,
} from '../../shared/stages/features/write.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// Feature writes against a real PostgreSQL, through both paths (a daily run's few rows as array
// parameters, a range's thousands as binary COPY): exact float8 round trips, dates on both sides of
// PostgreSQL's 2000-01-01 epoch, non-finite values as null, reruns that rewrite only what changed.

const SPECIAL_DATES = ['1999-12-31', '2000-01-01', '2000-02-29', '2024-03-10', '2026-12-04'];

/** The special dates, then consecutive days from 2030 up to `rows` dates in all. */
function datesOf(rows: number): string[] {
  const more = Array.from({ length: rows - SPECIAL_DATES.length }, (_, i) =>
    new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10),
  );
  return [...SPECIAL_DATES, ...more];
}

/** Column `c` of row `i`: distinct, awkward doubles (negative, tiny, huge, non-terminating). */
function value(c: number, i: number): number {
  return ((c + 1) * (i - 2.5)) / 3 + (c % 7 === 0 ? 1e-300 : c % 5 === 0 ? 1e300 : 0);
}

function features(rows: number, at: (c: number, i: number) => number): AssetFeatures {
  const out: Record<string, Float64Array> = {};
  ASSET_FEATURE_NAMES.forEach((name, c) => {
    out[name] = Float64Array.from({ length: rows }, (_, i) => at(c, i));
  });
  return out as AssetFeatures;
}

type Row = Record<string, number | string | null>;

describe.each([
  ['array parameters', 5],
  ['binary COPY', 2_500],
])('feature writes through %s (%i dates)', (_, rows) => {
  const dates = datesOf(rows);
  let db: TestDatabase;
  let ids: number[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const inserted = await db.sql<{ id: number }[]>`
      insert into assets (symbol, asset_type, name) values ('AAA', 'equity', 'a'), ('BBB', 'equity', 'b')
      returning id`;
    ids = inserted.map((r) => r.id);
  });
  afterAll(() => db.drop());

  const stored = () =>
    db.sql.unsafe<Row[]>(
      `select asset_id, date::text as date, computed_at::text as computed_at, ${ASSET_FEATURE_NAMES.join(', ')}
       from daily_features order by asset_id, date`,
    );

  it('stores every value bit for bit, the chosen rows only, non-finite values as null', async () => {
    const undefinedAt = (c: number, i: number) => (c === 3 && i === 1) || (c === 4 && i === 2);
    const values = features(rows, (c, i) =>
      c === 3 && i === 1 ? Number.NaN : c === 4 && i === 2 ? Number.POSITIVE_INFINITY : value(c, i),
    );
    const blocks: FeatureBlock[] = [
      { assetId: ids[0]!, dates, values, start: 0, end: rows },
      { assetId: ids[1]!, dates, values, start: 1, end: 3 },
    ];
    expect(await upsertFeatureBlocks(db.sql, blocks)).toBe(rows + 2);
    const written = await stored();
    expect(written.map((r) => `${r.asset_id} ${r.date}`)).toEqual([
      ...dates.map((d) => `${ids[0]} ${d}`),
      `${ids[1]} ${dates[1]}`,
      `${ids[1]} ${dates[2]}`,
    ]);
    const wrong: string[] = [];
    for (const row of written) {
      const i = dates.indexOf(row.date as string);
      ASSET_FEATURE_NAMES.forEach((name, c) => {
        const expected = undefinedAt(c, i) ? null : value(c, i);
        if (row[name] !== expected) wrong.push(`${row.date} ${name}: ${row[name]} != ${expected}`);
      });
    }
    expect(wrong).toEqual([]);
  });

  it('rewrites nothing on a rerun and only the changed row when one value changes', async () => {
    const values = features(rows, value);
    const block: FeatureBlock = { assetId: ids[0]!, dates, values, start: 0, end: rows };
    await upsertFeatureBlocks(db.sql, [block]);
    const before = await stored();
    expect(await upsertFeatureBlocks(db.sql, [block])).toBe(0);
    expect(await stored()).toEqual(before);

    values[ASSET_FEATURE_NAMES[10]!][2] = 42;
    expect(await upsertFeatureBlocks(db.sql, [block])).toBe(1);
    const after = await stored();
    const changed = after.filter((r, k) => JSON.stringify(r) !== JSON.stringify(before[k]));
    expect(changed.map((r) => r.date)).toEqual([dates[2]]);
    expect(changed[0]![ASSET_FEATURE_NAMES[10]!]).toBe(42);
  });

  it('writes nothing for empty blocks and fails whole on an unknown asset', async () => {
    const values = features(rows, value);
    expect(await upsertFeatureBlocks(db.sql, [{ assetId: ids[0]!, dates, values, start: 2, end: 2 }])).toBe(
      0,
    );
    const before = await stored();
    const blocks: FeatureBlock[] = [
      { assetId: ids[1]!, dates, values: features(rows, () => 7), start: 0, end: rows },
      { assetId: 987_654, dates, values, start: 0, end: 1 },
    ];
    await expect(upsertFeatureBlocks(db.sql, blocks)).rejects.toThrow(/foreign key/);
    expect(await stored()).toEqual(before);
  });

  it('writes the universe ranks a block carries, and null where it carries none', async () => {
    const values = features(rows, (c, i) => value(c, i) + 1);
    const ranks = { rank_ret_20: Float64Array.from(dates, (_, i) => i / rows) };
    await upsertFeatureBlocks(db.sql, [{ assetId: ids[0]!, dates, values, ranks, start: 0, end: rows }]);
    const stored = () =>
      db.sql<{ r20: number | null; r60: number | null }[]>`
        select rank_ret_20 as r20, rank_ret_60 as r60 from daily_features where asset_id = ${ids[0]!} order by date`;
    expect(await stored()).toEqual(dates.map((_, i) => ({ r20: i / rows, r60: null })));
    // A rerun without ranks clears them: the ranks are part of the row it writes.
    expect(
      await upsertFeatureBlocks(db.sql, [{ assetId: ids[0]!, dates, values, start: 0, end: rows }]),
    ).toBe(rows);
    expect(await stored()).toEqual(dates.map(() => ({ r20: null, r60: null })));
  });

  it('drops the rows of a deleted asset, as the foreign key’s cascade did', async () => {
    const [gone] = await db.sql<{ id: number }[]>`
      insert into assets (symbol, asset_type, name) values ('GONE', 'equity', 'g') returning id`;
    const values = features(rows, value);
    expect(
      await upsertFeatureBlocks(db.sql, [{ assetId: gone!.id, dates, values, start: 0, end: rows }]),
    ).toBe(rows);
    await db.sql`delete from assets where id = ${gone!.id}`;
    const [left] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from daily_features where asset_id = ${gone!.id}`;
    expect(left!.n).toBe(0);
  });
});

describe('binary COPY of feature rows', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('throws, not hangs, when the server refuses the COPY during or after its rows', async () => {
    // The foreign key is checked at the end of the statement, after the client sent every row.
    const late = db.sql.begin((tx) =>
      copyFeatureBlocks(tx, 'daily_features', [
        { assetId: 987_654, dates: SPECIAL_DATES, values: features(2, value), start: 0, end: 2 },
      ]),
    );
    await expect(late).rejects.toThrow(/COPY into daily_features was refused/);
    // Refused at the first of many megabytes of rows (computed_at has no default in this copy of the
    // table): the server answers while rows are still being sent, and nothing is left unhandled.
    await db.sql`create table features_copy (like daily_features)`;
    const many = datesOf(20_000);
    const early = db.sql.begin((tx) =>
      copyFeatureBlocks(tx, 'features_copy', [
        { assetId: 1, dates: many, values: features(many.length, value), start: 0, end: many.length },
      ]),
    );
    await expect(early).rejects.toThrow(/computed_at|refused/);
    const [ok] = await db.sql<{ x: number }[]>`select 1 as x`;
    expect(ok!.x).toBe(1);
  });
});
