// The CPU of one job of each stage on the fan-out test's day (5,000 equities, a few weeks of synthetic
// history), against the share of a drain request's CPU budget a job is sized to stay under (JOB_SHARE).
// These figures depend on the machine, so they are printed here; test/pipeline/fanout.test.ts checks
// only the drain's admission rule, which holds on any machine.
import { triggerRun } from '../../shared/api/service.ts';
import { previousTradingDay } from '../../shared/calendar/index.ts';
import { createContext, drainBudgetFromEnv } from '../../shared/config.ts';
import { JOB_SHARE } from '../../shared/pipeline/queue.ts';
import { TEST_DATE } from '../../test/support/pipeline.ts';
import {
  createSyntheticMarket,
  seedSyntheticMarket,
  syntheticSymbols,
} from '../../test/support/synthetic-market.ts';
import { ms, ratio, table } from './report.ts';
import { drainJobs, openScratchDatabase } from './stage.ts';

const ASSETS = 5_000;
const HISTORY_FROM = '2026-08-24';

/** One target line of the closing summary. */
interface JobVerdict {
  target: string;
  result: string;
  pass: boolean;
}

/** Runs the day's pipeline with one drain loop (so each job's CPU is its own) and prints CPU per job by stage. */
export async function benchStageJobs(): Promise<JobVerdict[]> {
  const db = await openScratchDatabase();
  try {
    const market = createSyntheticMarket(HISTORY_FROM, TEST_DATE);
    const symbols = syntheticSymbols(ASSETS);
    await seedSyntheticMarket(db.sql, market, symbols, HISTORY_FROM, previousTradingDay('equity', TEST_DATE));
    await db.sql`analyze`;
    const ctx = createContext(
      { DATABASE_URL: db.url, STRATOS_REPAIR_DAYS: '1', STRATOS_REVIEW_LIMIT: '10' },
      { sql: db.sql, providers: () => [market.provider()], log: () => {} },
    );
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'equity_all' });
    const jobs = await drainJobs(ctx, 1);
    const stageOf = new Map(
      (
        await db.sql<{ id: number; stage: string }[]>`
          select j.id, r.stage from pipeline_jobs j join pipeline_runs r on r.id = j.run_id`
      ).map((r) => [Number(r.id), r.stage]),
    );
    const share = drainBudgetFromEnv(process.env).cpuMs * JOB_SHARE;
    const rows: string[][] = [];
    const verdicts: JobVerdict[] = [];
    for (const stage of ['ingest', 'features', 'signals', 'review']) {
      const cpu = jobs
        .filter((j) => stageOf.get(j.id) === stage)
        .map((j) => j.cpuMs)
        .sort((a, b) => a - b);
      if (cpu.length === 0) continue;
      const max = cpu.at(-1)!;
      rows.push([stage, String(cpu.length), ms(cpu[cpu.length >> 1]!), ms(max), ratio(max / share)]);
      verdicts.push({
        target: `largest ${stage} job's CPU < JOB_SHARE of the drain budget (${ms(share)})`,
        result: ms(max),
        pass: max < share,
      });
    }
    console.log(
      table(['stage', 'jobs', 'median CPU', 'max CPU', 'max/share'], rows, [
        'left',
        'right',
        'right',
        'right',
        'right',
      ]),
    );
    console.log(
      `\n${ASSETS.toLocaleString('en-US')} equities, ${TEST_DATE}, history from ${HISTORY_FROM}; CPU of this ` +
        `process around processJob, one drain loop; share = ${JOB_SHARE} x STRATOS_DRAIN_CPU_MS. A job over ` +
        'its share does not break a budget by itself: the drain then reserves that cost for the next job.',
    );
    return verdicts;
  } finally {
    await db.close();
  }
}
