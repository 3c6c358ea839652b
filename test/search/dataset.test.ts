import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tradingDays } from '../../shared/calendar/index.ts';
import { HISTORY_BARS, SIGNAL_DAYS } from '../../shared/search/algorithms/index.ts';
import { buildDataset, loadDataset, weekStart } from '../../shared/search/dataset.ts';
import { prepareDataset } from '../../shared/search/evaluate.ts';
import { finishRun, recordCycle, startRun, weekTrialCount } from '../../shared/search/ledger.ts';
import { runSearch } from '../../shared/search/optimize.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { seedBars } from './seed.ts';

let db: TestDatabase;
const days = tradingDays('equity', '2026-03-02', '2026-11-27');
// Symbols: 60 common stocks plus names the screens must drop.
const commons = Array.from(
  { length: 60 },
  (_, i) => `S${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
);
const excluded = {
  PENNY: 'cheap',
  THIN: 'illiquid',
  GAPPY: 'missing a session',
  'ABCD.WS': 'warrant symbol',
  SPYX: 'an ETF',
};

beforeAll(async () => {
  db = await createTestDatabase();
  await seedBars(db.sql, [...commons, ...Object.keys(excluded)], days);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('search dataset snapshot', () => {
  it('keeps complete, priced, liquid common stocks, samples them by seed, and loads them back exactly', async () => {
    const summary = await buildDataset(db.sql, '2026-11-25', { size: 40, seed: 5 });
    expect(summary.week).toBe('2026-11-23');
    // Thanksgiving week: the 5 sessions end on Friday and reach back into the week before.
    expect(summary.sessions).toEqual(['2026-11-20', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27']);
    expect(summary.eligible).toBe(60);
    expect(summary.sampled).toBe(40);
    const ds = await loadDataset(db.sql, '2026-11-27');
    expect(ds.symbols).toHaveLength(40);
    for (const s of ds.symbols) expect(commons).toContain(s);
    expect(ds.dates).toHaveLength(HISTORY_BARS + SIGNAL_DAYS);
    expect(ds.dates.at(-1)).toBe('2026-11-27');
    // Bars land at ticker k's row, oldest first.
    const k = 7;
    const [bar] = await db.sql<{ close: number; volume: number }[]>`
      select close, volume from daily_bars b join assets a on a.id = b.asset_id
      where a.symbol = ${ds.symbols[k]!} and b.date = ${ds.dates[3]!}`;
    expect(ds.close[k * ds.dates.length + 3]).toBe(bar!.close);
    expect(ds.volume[k * ds.dates.length + 3]).toBe(bar!.volume);
  });

  it('is the same snapshot when rebuilt with the same seed, another with another seed', async () => {
    const first = (await loadDataset(db.sql, '2026-11-23')).symbols;
    await buildDataset(db.sql, '2026-11-23', { size: 40, seed: 5 });
    expect((await loadDataset(db.sql, '2026-11-23')).symbols).toEqual(first);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from search_datasets`;
    expect(row?.n).toBe(1);
    await buildDataset(db.sql, '2026-11-23', { size: 40, seed: 6 });
    expect((await loadDataset(db.sql, '2026-11-23')).symbols).not.toEqual(first);
  });

  it('keeps past weeks and marks the latest current', async () => {
    await buildDataset(db.sql, '2026-11-12', { size: 40 });
    const weeks = await db.sql<{ week: string; is_current: boolean }[]>`
      select week::text, is_current from search_datasets order by week`;
    expect(weeks).toEqual([
      { week: '2026-11-09', is_current: false },
      { week: '2026-11-23', is_current: true },
    ]);
    expect((await loadDataset(db.sql)).week).toBe('2026-11-23');
  });

  it('refuses a week without stored bars, with a readable error', async () => {
    await expect(buildDataset(db.sql, '2027-01-06')).rejects.toThrow(
      /week of 2027-01-04: stored equity bars have no session/,
    );
    await expect(buildDataset(db.sql, '2026-04-01')).rejects.toThrow(/dates needed/);
    await expect(loadDataset(db.sql, '2026-06-03')).rejects.toThrow(
      /no search dataset for the week of 2026-06-01/,
    );
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
  });
});

describe('trial ledger', () => {
  it('stores every trial of a run, and counts distinct variations over the week', async () => {
    const data = prepareDataset(await loadDataset(db.sql, '2026-11-23'));
    const record = async (seed: number, cycles: number) => {
      const runId = await startRun(db.sql, { week: '2026-11-23', seed, cycles });
      const result = await runSearch(data, {
        seed,
        cycles,
        onCycle: (r) => recordCycle(db.sql, runId, r.cycle, r.trials),
      });
      await finishRun(db.sql, runId, { stoppedBy: result.stoppedBy });
      return { runId, result };
    };
    const a = await record(11, 2);
    const [run] =
      await db.sql`select status, cycles_done, trials, stopped_by from search_runs where id = ${a.runId}`;
    expect(run).toEqual({ status: 'succeeded', cycles_done: 2, trials: 160, stopped_by: 'cycles' });
    const stored = await db.sql<
      { variation: string }[]
    >`select variation from search_trials where run_id = ${a.runId} order by seq`;
    expect(stored.map((r) => r.variation)).toEqual(a.result.trials.map((t) => t.key));
    // The same seed again tries the same variations: they count once.
    await record(11, 2);
    expect((await weekTrialCount(db.sql, '2026-11-23')).trials).toBe(160);
    await record(12, 1);
    const count = await weekTrialCount(db.sql, '2026-11-23');
    expect(count.trials).toBeGreaterThan(160);
    expect(count.trials).toBeLessThanOrEqual(240);
    expect(count.sharpeVariance).toBeGreaterThan(0);
  });
});
