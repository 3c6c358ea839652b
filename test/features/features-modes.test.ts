import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import type { RawBar } from '../../shared/domain/market.ts';
import { FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import { featuresCsvLines } from '../../shared/features/csv.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

type Row = Record<string, number | string | null>;

/** Every feature column of a date, keyed by symbol. */
async function featuresOn(ctx: PipelineContext, date: string): Promise<Map<string, Row>> {
  const rows = await ctx.sql.unsafe<Row[]>(
    `select a.symbol, ${FEATURE_NAMES.map((n) => `f.${n}`).join(', ')}
     from daily_features f join assets a on a.id = f.asset_id
     where f.date = $1 and a.asset_type = 'equity' order by a.symbol`,
    [date],
  );
  return new Map(rows.map((r) => [r.symbol as string, r]));
}

function expectSameFeatures(actual: Row, expected: Row, symbol: string) {
  for (const name of FEATURE_NAMES) {
    const a = actual[name];
    const e = expected[name];
    if (e === null || e === undefined) expect(a ?? null, `${symbol}.${name}`).toBeNull();
    else expect(a, `${symbol}.${name}`).toBeCloseTo(e as number, 9);
  }
}

describe('feature modes agree: backfill, daily run and features-csv', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let backfill: Map<string, Row>;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await triggerRun(ctx, {
      stage: 'ingest',
      date: TEST_DATE,
      universe: 'equity_all',
      from: TEST_HISTORY_FROM,
    });
    // Features read the stored bars: ingest must be done first.
    await drainUntilIdle(ctx);
    await triggerRun(ctx, {
      stage: 'features',
      date: TEST_DATE,
      universe: 'equity_all',
      from: TEST_HISTORY_FROM,
    });
    await drainUntilIdle(ctx);
    backfill = await featuresOn(ctx, TEST_DATE);
  });
  afterAll(() => db.drop());

  it('fills every catalogue column on the run date, benchmark and universe ranks included', () => {
    const aapl = backfill.get('AAPL')!;
    for (const name of FEATURE_NAMES) expect(aapl[name], name).not.toBeNull();
    const spy = backfill.get('SPY')!;
    expect(spy.beta_60).toBeCloseTo(1, 12);
    expect(spy.corr_60).toBeCloseTo(1, 12);
    const ranks = [...backfill.values()].map((r) => r.rank_ret_20 as number).sort((a, b) => a - b);
    expect(ranks[0]).toBe(0);
    expect(ranks.at(-1)).toBe(1);
  });

  it('ranks each stored ret_20 and ret_60 among the universe that day, on every date, as the stored rows say', async () => {
    // The ranks are planned from the bars before the jobs write the returns: they must be the percentiles
    // of the returns the jobs then stored, bit for bit.
    const differ = await ctx.sql`
      select f.asset_id, f.date::text from daily_features f
      join (
        select asset_id, date,
          case when ret_20 is null then null
            else percent_rank() over (partition by date, ret_20 is null order by ret_20) end as r20,
          case when ret_60 is null then null
            else percent_rank() over (partition by date, ret_60 is null order by ret_60) end as r60
        from daily_features where asset_id in (select id from assets where asset_type = 'equity')
      ) r using (asset_id, date)
      where (f.rank_ret_20, f.rank_ret_60) is distinct from (r.r20, r.r60)`;
    expect(differ).toEqual([]);
    const [ranked] = await ctx.sql<{ n: number }[]>`
      select count(*)::int as n from daily_features f join assets a on a.id = f.asset_id
      where a.asset_type = 'equity' and f.rank_ret_60 is not null`;
    expect(ranked!.n).toBeGreaterThan(1000);
    const [left] = await ctx.sql<{ n: number }[]>`select count(*)::int as n from feature_run_ranks`;
    expect(left!.n).toBe(0);
  });

  it('gives a one-day run exactly the backfill values', async () => {
    await ctx.sql`delete from daily_features where date = ${TEST_DATE}`;
    await triggerRun(ctx, { stage: 'features', date: TEST_DATE, universe: 'equity_all' });
    await drainUntilIdle(ctx);
    const daily = await featuresOn(ctx, TEST_DATE);
    expect([...daily.keys()]).toEqual([...backfill.keys()]);
    for (const [symbol, row] of daily) expectSameFeatures(row, backfill.get(symbol)!, symbol);
  });

  it('ranks again, never writes null ranks, when a job finds its run’s ranks dropped', async () => {
    await ctx.sql`delete from daily_features where date = ${TEST_DATE}`;
    await triggerRun(ctx, { stage: 'features', date: TEST_DATE, universe: 'equity_all' });
    await ctx.sql`delete from feature_run_ranks`;
    await drainUntilIdle(ctx);
    const daily = await featuresOn(ctx, TEST_DATE);
    expect(daily.get('AAPL')!.rank_ret_20).not.toBeNull();
    for (const [symbol, row] of daily) expectSameFeatures(row, backfill.get(symbol)!, symbol);
  });

  it('computes the same values from a CSV of the same bars, with no database', async () => {
    const bars = await ctx.sql<RawBar[]>`
      select a.symbol, b.date::text as date, b.open, b.high, b.low, b.close, b.volume
      from daily_bars b join assets a on a.id = b.asset_id
      where a.asset_type = 'equity' order by a.symbol, b.date`;
    const lines = [...featuresCsvLines(bars, { assetType: 'equity', benchmark: 'SPY' })];
    const header = lines[0]!.split(',');
    expect(header).toEqual(['symbol', 'date', ...FEATURE_NAMES]);
    const fromCsv = new Map<string, Row>();
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      if (cells[1] !== TEST_DATE) continue;
      fromCsv.set(
        cells[0]!,
        Object.fromEntries(header.map((h, i) => [h, cells[i] === '' ? null : Number(cells[i])])),
      );
    }
    expect([...fromCsv.keys()].sort()).toEqual([...backfill.keys()].sort());
    for (const [symbol, row] of fromCsv) expectSameFeatures(row, backfill.get(symbol)!, symbol);
  });
});
