import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../shared/bars/import.ts';
import { addDays } from '../../shared/calendar/index.ts';
import { createContext } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const START = '2024-01-01';

/** CSV rows of a calm series: a close that moves ±0.5% a day, OHLC consistent. */
function calmRows(symbol: string, days: number, from = START, base = 100): string[] {
  return Array.from({ length: days }, (_, i) => {
    const close = base * (1 + (i % 2 === 0 ? 0.005 : -0.004) * ((i % 5) + 1));
    return `${addDays(from, i)},${close},${close * 1.01},${close * 0.99},${close},${1000 + i},${symbol}`;
  });
}

const HEADER = 'date,open,high,low,close,volume,Name';

describe('import-csv', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  const bars = () =>
    ctx.sql`
      select a.symbol, b.date::text, b.open, b.high, b.low, b.close, b.volume, b.source, b.ingested_at
      from daily_bars b join assets a on a.id = b.asset_id order by 1, 2`;
  const ledger = () =>
    ctx.sql`select id, kind, source, symbol, date, raw, reason from data_quality_ledger order by id`;

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = createContext({ DATABASE_URL: db.url }, { sql: db.sql });
  });
  afterAll(() => db.drop());

  it('stores the bars, ledgers rejected and flagged rows, and a second import of the same file writes nothing', async () => {
    const jump = addDays(START, 40);
    const text = [
      HEADER,
      ...calmRows('AAA', 60).map((row) => (row.startsWith(jump) ? `${jump},300,300,290,300,5000,AAA` : row)),
      ...calmRows('BBB', 30),
      `${addDays(START, 30)},10,9,11,10,100,BBB`,
      `${addDays(START, 31)},,,,10,100,BBB`,
    ].join('\n');
    const first = await importCsv(ctx, { text, assetType: 'equity' });
    expect(first).toMatchObject({
      symbols: 2,
      bars: 90,
      inserted: 90,
      updated: 0,
      unchanged: 0,
      rejected: 2,
      // The jump up; the fall back the next day is measured against returns that include the jump.
      flagged: 1,
      ledgered: 3,
    });
    expect(first.rejectedSample.map((r) => r.where)).toEqual(['line 92', 'line 93', `AAA ${jump}`]);
    const storedBars = await bars();
    const storedLedger = await ledger();
    expect(storedBars).toHaveLength(90);
    expect(storedLedger.map((r) => r.kind)).toEqual(['rejected', 'rejected', 'flagged']);

    const again = await importCsv(ctx, { text, assetType: 'equity' });
    expect(again).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 90,
      rejected: 2,
      flagged: 1,
      ledgered: 0,
    });
    // Not even ingested_at moved: the unchanged rows were not rewritten.
    expect(await bars()).toEqual(storedBars);
    expect(await ledger()).toEqual(storedLedger);
  });

  it('screens a later file against the stored history before its first date', async () => {
    await importCsv(ctx, { text: [HEADER, ...calmRows('CCC', 40)].join('\n'), assetType: 'equity' });
    // Five calm days and a jump: too few returns in the file alone; the 40 stored closes make it a jump.
    const from = addDays(START, 40);
    const jump = addDays(from, 5);
    const text = [HEADER, ...calmRows('CCC', 5, from), `${jump},400,400,390,400,9000,CCC`].join('\n');
    const res = await importCsv(ctx, { text, assetType: 'equity' });
    expect(res).toMatchObject({ inserted: 6, updated: 0, flagged: 1 });
    const [flag] =
      await ctx.sql`select reason from data_quality_ledger where symbol = 'CCC' and date = ${jump}`;
    expect(flag!.reason).toMatch(/standard deviations beyond the last 44 returns/);
  });

  it('updates a revised bar, and a broken row leaves the stored bar as it was', async () => {
    const revised = addDays(START, 5);
    const broken = addDays(START, 6);
    const [before] = await ctx.sql`
      select b.close from daily_bars b join assets a on a.id = b.asset_id
      where a.symbol = 'BBB' and b.date = ${broken}`;
    const text = [HEADER, `${revised},101,103,99,102,777,BBB`, `${broken},50,40,60,55,1,BBB`].join('\n');
    const res = await importCsv(ctx, { text, assetType: 'equity' });
    expect(res).toMatchObject({ inserted: 0, updated: 1, unchanged: 0, rejected: 1 });
    const rows = await ctx.sql<{ date: string; close: number; volume: number }[]>`
      select b.date::text, b.close, b.volume from daily_bars b join assets a on a.id = b.asset_id
      where a.symbol = 'BBB' and b.date in (${revised}, ${broken}) order by 1`;
    expect(rows).toEqual([
      { date: revised, close: 102, volume: 777 },
      { date: broken, close: before!.close, volume: expect.any(Number) },
    ]);
  });

  it('keeps the names of assets it already knows', async () => {
    await ctx.sql`update assets set name = 'Triple A Corp' where symbol = 'AAA'`;
    await importCsv(ctx, { text: [HEADER, ...calmRows('AAA', 3)].join('\n'), assetType: 'equity' });
    const [asset] = await ctx.sql`select name from assets where symbol = 'AAA'`;
    expect(asset!.name).toBe('Triple A Corp');
  });

  it('refuses a bar for an asset that does not exist, and drops the bars of a deleted asset', async () => {
    await expect(
      ctx.sql`insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
              values (987654, '2024-01-02', 1, 1, 1, 1, 1, 'test')`,
    ).rejects.toThrow(/asset 987654 does not exist/);
    await ctx.sql`delete from assets where symbol = 'BBB'`;
    const [left] = await ctx.sql<{ n: number }[]>`
      select count(*)::int as n from daily_bars b where not exists (select 1 from assets a where a.id = b.asset_id)`;
    expect(left!.n).toBe(0);
  });

  it('keeps asset_latest on each asset’s newest bar through imports, revisions and deletes', async () => {
    const latest = async () =>
      (
        await ctx.sql<{ date: string; close: number }[]>`
          select l.date::text, l.close from asset_latest l join assets a on a.id = l.asset_id
          where a.symbol = 'LLL'`
      )[0];
    await importCsv(ctx, { text: [HEADER, ...calmRows('LLL', 20)].join('\n'), assetType: 'equity' });
    const newest = addDays(START, 19);
    expect(await latest()).toEqual({ date: newest, close: expect.any(Number) });
    // A revised older bar leaves the latest row as it was; a revised newest bar moves its close.
    const older = addDays(START, 3);
    await importCsv(ctx, { text: [HEADER, `${older},90,91,89,90,5,LLL`].join('\n'), assetType: 'equity' });
    const kept = await latest();
    expect(kept!.date).toBe(newest);
    expect(kept!.close).not.toBe(90);
    await importCsv(ctx, { text: [HEADER, `${newest},98,99,97,98,5,LLL`].join('\n'), assetType: 'equity' });
    expect(await latest()).toEqual({ date: newest, close: 98 });
    // A later file moves it forward; deleting that bar moves it back.
    const later = addDays(START, 30);
    await importCsv(ctx, { text: [HEADER, `${later},99,100,98,99,5,LLL`].join('\n'), assetType: 'equity' });
    expect(await latest()).toEqual({ date: later, close: 99 });
    await ctx.sql`
      delete from daily_bars where date = ${later} and asset_id = (select id from assets where symbol = 'LLL')`;
    expect(await latest()).toEqual({ date: newest, close: 98 });
  });
});
