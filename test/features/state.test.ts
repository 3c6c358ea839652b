import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { createContext } from '../../shared/config.ts';
import type { BarSeries } from '../../shared/domain/market.ts';
import { ASSET_FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import { computeFeatures } from '../../shared/features/compute.ts';
import { KernelState } from '../../shared/indicators/state.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import {
  loadFeatureStates,
  STATE_TAIL_BARS,
  storeFeatureStates,
} from '../../shared/stages/features/state.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { randomWalkBars } from '../support/indicator-contract.ts';

// Stored incremental indicator state through the real features stage and PostgreSQL: day after day a
// daily run resumes every asset from the state the previous run stored, on its last bars only, and
// stores exactly the values a full recompute gives; a corrected bar, a deleted state and a bar written
// while a job computes all fall back to (or keep) exact values.

const SYMBOLS = ['SPY', 'AAA', 'BBB', 'CCC'];
/** Bars per asset in all; the backfill covers the first FIRST_DAY + 1 of them, then one run per day. */
const BARS = 380;
const FIRST_DAY = 330;

/** Weekdays from 2024-01-01 on. */
function weekdays(count: number): string[] {
  const out: string[] = [];
  for (let d = Date.UTC(2024, 0, 1); out.length < count; d += 86_400_000) {
    const day = new Date(d).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(d).toISOString().slice(0, 10));
  }
  return out;
}

describe('features stage with stored kernel state', () => {
  const dates = weekdays(BARS);
  // Each asset's bars as the database stores them (mutable: the test corrects one).
  const bars = new Map<string, BarSeries>(
    SYMBOLS.map((s, k) => [s, { dates, ...randomWalkBars(BARS, 101 + k) }]),
  );
  let db: TestDatabase;
  let ctx: PipelineContext;
  const ids = new Map<string, number>();

  async function insertBars(symbol: string, from: number, to: number) {
    const b = bars.get(symbol)!;
    const rows = [];
    for (let i = from; i < to; i++) {
      rows.push({
        asset_id: ids.get(symbol)!,
        date: dates[i]!,
        open: b.open[i]!,
        high: b.high[i]!,
        low: b.low[i]!,
        close: b.close[i]!,
        volume: b.volume[i]!,
        source: 'test',
      });
    }
    await ctx.sql`insert into daily_bars ${ctx.sql(rows)}`;
  }

  async function runFeatures(date: string, from?: string) {
    await triggerRun(ctx, { stage: 'features', date, universe: 'equity_all', ...(from ? { from } : {}) });
    await drainUntilIdle(ctx, 'state-test', 1);
    const [job] = await ctx.sql<{ resumed: number }[]>`
      select sum((j.result->>'resumed_assets')::int)::int as resumed
      from pipeline_jobs j join pipeline_runs r on r.id = j.run_id
      where r.stage = 'features' and r.run_date = ${date} and r.status = 'succeeded'
      group by r.id order by r.id desc limit 1`;
    return job?.resumed ?? -1;
  }

  const slice = (b: BarSeries, end: number): BarSeries => ({
    dates: b.dates.slice(0, end),
    open: b.open.slice(0, end),
    high: b.high.slice(0, end),
    low: b.low.slice(0, end),
    close: b.close.slice(0, end),
    volume: b.volume.slice(0, end),
  });

  /** Every stored feature of `day` against a full in-memory recompute of the bars up to it, bit for bit. */
  async function expectExact(day: number) {
    const rows = await ctx.sql.unsafe<Record<string, number | null>[]>(
      `select asset_id, ${ASSET_FEATURE_NAMES.join(', ')} from daily_features where date = $1`,
      [dates[day]!],
    );
    expect(rows).toHaveLength(SYMBOLS.length);
    const benchmark = slice(bars.get('SPY')!, day + 1);
    for (const symbol of SYMBOLS) {
      const row = rows.find((r) => Number(r.asset_id) === ids.get(symbol))!;
      const full = computeFeatures(slice(bars.get(symbol)!, day + 1), { periodsPerYear: 252, benchmark });
      for (const name of ASSET_FEATURE_NAMES) {
        const want = full[name][day]!;
        const got = row[name];
        if (!(Number.isFinite(want) ? Object.is(got, want) : got === null)) {
          expect.fail(`${symbol}.${name} on ${dates[day]}: stored ${got}, full recompute ${want}`);
        }
      }
    }
  }

  const stateOf = async (symbol: string) => {
    const [row] = await ctx.sql<{ revision: string; date: string | null; bar_index: number | null }[]>`
      select revision, date::text as date, bar_index from feature_state where asset_id = ${ids.get(symbol)!}`;
    return row;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ctx = createContext({ DATABASE_URL: db.url }, { sql: db.sql });
    const rows = await ctx.sql<{ id: number; symbol: string }[]>`
      insert into assets ${ctx.sql(SYMBOLS.map((symbol) => ({ symbol, asset_type: 'equity', name: symbol })))}
      returning id, symbol`;
    for (const r of rows) ids.set(r.symbol, Number(r.id));
    for (const s of SYMBOLS) await insertBars(s, 0, FIRST_DAY + 1);
    // The backfill computes every asset from its first bar and stores each one's state after its last bar.
    expect(await runFeatures(dates[FIRST_DAY]!, dates[0])).toBe(0);
  });
  afterAll(() => db.drop());

  it('stores a state per asset after the backfill, dated its last bar', async () => {
    for (const s of SYMBOLS) {
      expect(await stateOf(s)).toMatchObject({ date: dates[FIRST_DAY], bar_index: FIRST_DAY });
    }
    expect(STATE_TAIL_BARS).toBeLessThan(FIRST_DAY);
  });

  it('resumes every asset day after day, each day exactly the full recompute, across a corrected bar and a lost state', async () => {
    for (let day = FIRST_DAY + 1; day < BARS; day++) {
      for (const s of SYMBOLS) await insertBars(s, day, day + 1);
      let expected = SYMBOLS.length;
      if (day === FIRST_DAY + 10) {
        // A corrected bar long before the state's day (ingest repair, a CSV import): the asset's state is
        // cleared, its revision moves on, and the run recomputes it from its first bar.
        const aaa = bars.get('AAA')!;
        const before = await stateOf('AAA');
        const i = 150;
        aaa.close[i] = aaa.close[i]! * 1.01;
        aaa.high[i] = Math.max(aaa.high[i]!, aaa.close[i]!);
        await ctx.sql`
          update daily_bars set close = ${aaa.close[i]!}, high = ${aaa.high[i]!}
          where asset_id = ${ids.get('AAA')!} and date = ${dates[i]!}`;
        const after = await stateOf('AAA');
        expect(after!.date).toBeNull();
        expect(Number(after!.revision)).toBeGreaterThan(Number(before!.revision));
        expected--;
      }
      if (day === FIRST_DAY + 20) {
        await ctx.sql`delete from feature_state where asset_id = ${ids.get('BBB')!}`;
        expected--;
      }
      expect(await runFeatures(dates[day]!), `assets resumed on ${dates[day]}`).toBe(expected);
      await expectExact(day);
    }
    for (const s of SYMBOLS)
      expect(await stateOf(s)).toMatchObject({ date: dates[BARS - 1], bar_index: BARS - 1 });
  });

  it('would have stored wrong values from the stale state: the corrected bar changes the recursive kernels', () => {
    // The same day from the state recorded before the correction, on the corrected tail: not the full
    // recompute, so the invalidation above is what kept the stored rows exact.
    const aaa = bars.get('AAA')!;
    const original = { ...aaa, close: aaa.close.slice(), high: aaa.high.slice() };
    original.close[150] = original.close[150]! / 1.01;
    const recording = new KernelState();
    const benchmark = bars.get('SPY')!;
    computeFeatures(slice(original, 200), { periodsPerYear: 252, benchmark }, 199, recording);
    const full = computeFeatures(slice(aaa, 201), { periodsPerYear: 252, benchmark });
    const tail = slice(aaa, 201);
    const stale = computeFeatures(
      tail,
      { periodsPerYear: 252, benchmark },
      200,
      new KernelState(Float64Array.from(recording.saved), 199),
    );
    expect(Object.is(stale.ema_200[200], full.ema_200[200])).toBe(false);
  });

  it('keeps the state on a new bar after its day, and stores none computed from bars that changed meanwhile', async () => {
    const before = await stateOf('CCC');
    // A bar dated after the state (tomorrow's ingest) leaves the state as it is, with a new revision.
    await ctx.sql`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      values (${ids.get('CCC')!}, '2030-01-02', 10, 11, 9, 10, 1000, 'test')`;
    const after = await stateOf('CCC');
    expect(after!.date).toBe(before!.date);
    expect(Number(after!.revision)).toBe(Number(before!.revision) + 1);
    // A job read the revision, then the bar changed before it stored its state: the state is not stored.
    const read = await loadFeatureStates(ctx.sql, [ids.get('CCC')!]);
    await ctx.sql`update daily_bars set volume = 2000 where asset_id = ${ids.get('CCC')!} and date = '2030-01-02'`;
    const stored = await storeFeatureStates(ctx.sql, [
      {
        assetId: ids.get('CCC')!,
        revision: read.get(ids.get('CCC')!)!.revision,
        dates: [...dates, '2030-01-02'],
        offset: 0,
        values: [1, 2, 3],
      },
    ]);
    expect(stored).toBe(0);
    expect((await stateOf('CCC'))!.date).toBe(before!.date);
  });
});
