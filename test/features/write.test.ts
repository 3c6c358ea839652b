import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSET_FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import type { AssetFeatures } from '../../shared/features/compute.ts';
import {
  copyFeatureBlocks,
  type FeatureBlock,
  upsertFeatureBlocks,
} from '../../shared/stages/features/write.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

// The binary COPY path of feature writes against a real PostgreSQL: exact float8 round trips, dates on
// both sides of PostgreSQL's 2000-01-01 epoch, non-finite values as null, and reruns that rewrite only
// what changed.

const DATES = ['1999-12-31', '2000-01-01', '2000-02-29', '2024-03-10', '2026-12-04'];

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

describe('feature writes through binary COPY', () => {
  let db: TestDatabase;
  let ids: number[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const rows = await db.sql<{ id: number }[]>`
      insert into assets (symbol, asset_type, name) values ('AAA', 'equity', 'a'), ('BBB', 'equity', 'b')
      returning id`;
    ids = rows.map((r) => r.id);
  });
  afterAll(() => db.drop());

  const stored = () =>
    db.sql.unsafe<Record<string, number | string | null>[]>(
      `select asset_id, date::text as date, computed_at::text as computed_at, ${ASSET_FEATURE_NAMES.join(', ')}
       from daily_features order by asset_id, date`,
    );

  it('stores every value bit for bit, the chosen rows only, non-finite values as null', async () => {
    const values = features(DATES.length, (c, i) =>
      c === 3 && i === 1 ? Number.NaN : c === 4 && i === 2 ? Number.POSITIVE_INFINITY : value(c, i),
    );
    const blocks: FeatureBlock[] = [
      { assetId: ids[0]!, dates: DATES, values, start: 0, end: DATES.length },
      { assetId: ids[1]!, dates: DATES, values, start: 1, end: 3 },
    ];
    expect(await upsertFeatureBlocks(db.sql, blocks)).toBe(DATES.length + 2);
    const rows = await stored();
    expect(rows.map((r) => `${r.asset_id} ${r.date}`)).toEqual([
      ...DATES.map((d) => `${ids[0]} ${d}`),
      `${ids[1]} ${DATES[1]}`,
      `${ids[1]} ${DATES[2]}`,
    ]);
    for (const row of rows) {
      const i = DATES.indexOf(row.date as string);
      ASSET_FEATURE_NAMES.forEach((name, c) => {
        const expected = (c === 3 && i === 1) || (c === 4 && i === 2) ? null : value(c, i);
        expect(row[name], `${row.date} ${name}`).toBe(expected);
      });
    }
  });

  it('rewrites nothing on a rerun and only the changed row when one value changes', async () => {
    const values = features(DATES.length, value);
    const block: FeatureBlock = { assetId: ids[0]!, dates: DATES, values, start: 0, end: DATES.length };
    await upsertFeatureBlocks(db.sql, [block]);
    const before = await stored();
    expect(await upsertFeatureBlocks(db.sql, [block])).toBe(0);
    expect(await stored()).toEqual(before);

    values[ASSET_FEATURE_NAMES[10]!][2] = 42;
    expect(await upsertFeatureBlocks(db.sql, [block])).toBe(1);
    const after = await stored();
    const changed = after.filter((r, k) => JSON.stringify(r) !== JSON.stringify(before[k]));
    expect(changed.map((r) => r.date)).toEqual([DATES[2]]);
    expect(changed[0]![ASSET_FEATURE_NAMES[10]!]).toBe(42);
  });

  it('writes nothing for empty blocks and fails whole on an unknown asset', async () => {
    const values = features(DATES.length, value);
    expect(
      await upsertFeatureBlocks(db.sql, [{ assetId: ids[0]!, dates: DATES, values, start: 2, end: 2 }]),
    ).toBe(0);
    const before = await stored();
    const blocks: FeatureBlock[] = [
      {
        assetId: ids[1]!,
        dates: DATES,
        values: features(DATES.length, () => 7),
        start: 0,
        end: DATES.length,
      },
      { assetId: 987_654, dates: DATES, values, start: 0, end: 1 },
    ];
    await expect(upsertFeatureBlocks(db.sql, blocks)).rejects.toThrow(/foreign key/);
    expect(await stored()).toEqual(before);
  });

  it('keeps the universe ranks a later rank pass wrote', async () => {
    await db.sql`update daily_features set rank_ret_20 = 0.5 where asset_id = ${ids[0]!}`;
    const values = features(DATES.length, (c, i) => value(c, i) + 1);
    await upsertFeatureBlocks(db.sql, [
      { assetId: ids[0]!, dates: DATES, values, start: 0, end: DATES.length },
    ]);
    const ranks = await db.sql<
      { r: number }[]
    >`select rank_ret_20 as r from daily_features where asset_id = ${ids[0]!}`;
    expect(ranks.map((x) => x.r)).toEqual(DATES.map(() => 0.5));
  });

  it('throws, not hangs, when the server refuses the COPY during or after its rows', async () => {
    // The foreign key is checked at the end of the statement, after the client sent every row.
    const values = features(2, value);
    const copy = db.sql.begin((tx) =>
      copyFeatureBlocks(tx, 'daily_features', [{ assetId: 987_654, dates: DATES, values, start: 0, end: 2 }]),
    );
    await expect(copy).rejects.toThrow(/COPY into daily_features was refused/);
    // Refused at the first of many megabytes of rows (computed_at has no default in this copy of the
    // table): the server answers while rows are still being sent, and nothing is left unhandled.
    await db.sql`create table features_copy (like daily_features)`;
    const many = Array.from({ length: 20_000 }, (_, i) =>
      new Date(Date.UTC(1990, 0, 1 + i)).toISOString().slice(0, 10),
    );
    const early = db.sql.begin((tx) =>
      copyFeatureBlocks(tx, 'features_copy', [
        { assetId: ids[0]!, dates: many, values: features(many.length, value), start: 0, end: many.length },
      ]),
    );
    await expect(early).rejects.toThrow(/computed_at|refused/);
    const [ok] = await db.sql<{ x: number }[]>`select 1 as x`;
    expect(ok!.x).toBe(1);
  });
});
