import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { tradingDays } from '../../shared/calendar/index.ts';
import { createContext } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { buildDataset, loadDataset } from '../../shared/search/dataset.ts';
import { prepareDataset } from '../../shared/search/evaluate.ts';
import { runTasks } from '../../shared/search/groups/budget.ts';
import { groupTasks } from '../../shared/search/groups/discover.ts';
import { finishDiscovery, prepareDiscovery } from '../../shared/search/groups/run.ts';
import { loadGroups, loadSelectedGroup } from '../../shared/search/groups/store.ts';
import { finishRun, recordCycle, startRun } from '../../shared/search/ledger.ts';
import { runSearch } from '../../shared/search/optimize.ts';
import { queueGroupDiscovery } from '../../shared/stages/search/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { seedBars } from './seed.ts';

let db: TestDatabase;
let ctx: PipelineContext;
let runId: number;
const WEEK = '2026-11-23';
const symbols = Array.from(
  { length: 120 },
  (_, i) => `Q${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
);
// Loose gates so that the small sample still has a tree worth splitting.
const PRUNE = { minBuysPerDay: 2, minPositiveDays: 2, worstDay: -0.1 };

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = createContext({ DATABASE_URL: db.url }, { sql: db.sql, log: () => {} });
  await seedBars(db.sql, symbols, tradingDays('equity', '2026-03-02', '2026-11-27'));
  await buildDataset(db.sql, WEEK, { size: 120, seed: 3 });
  const data = prepareDataset(await loadDataset(db.sql, WEEK));
  runId = await startRun(db.sql, { week: WEEK, seed: 7, cycles: 6 });
  const result = await runSearch(data, {
    seed: 7,
    cycles: 6,
    onCycle: (r) => recordCycle(db.sql, runId, r.cycle, r.trials),
  });
  await finishRun(db.sql, runId, { stoppedBy: result.stoppedBy });
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

/** The stored groups without their write time. */
const stored = async () => (await loadGroups(db.sql, runId)).map((g) => ({ ...g }));

describe('group discovery as queue jobs', () => {
  it('drained by 4 workers stores the same groups and selection as one process', async () => {
    const { week, space } = await prepareDiscovery(db.sql, runId, PRUNE);
    expect(space.keys.length).toBeGreaterThan(4);
    const tasks = groupTasks(space);
    const one = runTasks(space, tasks, {}, Number.POSITIVE_INFINITY, () => Date.now());
    await finishDiscovery(db.sql, runId, week, space.keys, one, { groups: {}, selection: {}, workers: 1 });
    const inProcess = await stored();
    expect(inProcess.length).toBeGreaterThan(0);

    const pipelineRun = await queueGroupDiscovery(ctx, runId, { parts: 4 });
    const [jobs] = await db.sql<
      { n: string }[]
    >`select count(*) as n from pipeline_jobs where run_id = ${pipelineRun}`;
    expect(Number(jobs!.n)).toBe(Math.min(4, tasks.length));
    await drainUntilIdle(ctx, 'search-test', 4);
    const [run] = await db.sql<{ status: string; summary: Record<string, number> }[]>`
      select status, summary from pipeline_runs where id = ${pipelineRun}`;
    expect(run!.status).toBe('succeeded');
    expect(run!.summary.evaluations).toBe(one.evaluations);
    const queued = await stored();
    expect(queued).toEqual(inProcess);
    const selected = await loadSelectedGroup(db.sql, '2026-11-25');
    expect(selected?.groupKey ?? null).toBe(inProcess.find((g) => g.selected)?.groupKey ?? null);
    if (selected) {
      expect(selected.members.length).toBeGreaterThanOrEqual(2);
      for (const m of selected.members) expect(Object.keys(m.params).length).toBeGreaterThan(0);
    }
  }, 180_000);

  it('queued again for the same week converges to the same rows', async () => {
    const before = await stored();
    await queueGroupDiscovery(ctx, runId, { parts: 3 });
    await drainUntilIdle(ctx, 'search-test-again', 2);
    expect(await stored()).toEqual(before);
    const [n] = await db.sql<{ n: string }[]>`select count(*) as n from pipeline_runs where stage = 'search'`;
    expect(Number(n!.n)).toBe(1);
  }, 180_000);
});
