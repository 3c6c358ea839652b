// One worker of the fan-out test, in its own process so that process.cpuUsage() measures exactly one
// invocation at a time (Node 20 has no per-thread CPU clock). It calls the stage functions' /drain over
// their HTTP handlers, one invocation after another, and prints one JSON line per invocation.
import { createContext } from '../../shared/config.ts';
import { connect } from '../../shared/db/client.ts';
import type { DrainReport } from '../../shared/http/stage-app.ts';
import { createApp as aiReview } from '../../supabase/functions/ai-review/app.ts';
import { createApp as calcFeatures } from '../../supabase/functions/calc-features/app.ts';
import { createApp as evaluateSignals } from '../../supabase/functions/evaluate-signals/app.ts';
import { createApp as ingestOhlcv } from '../../supabase/functions/ingest-ohlcv/app.ts';
import { AS, TEST_KEYS } from '../support/auth.ts';
import { createSyntheticMarket } from '../support/synthetic-market.ts';

/** What a worker prints for each invocation: its own measurement and the function's report. */
export interface InvocationLine {
  worker: string;
  fn: string;
  status: number;
  /** CPU ms of this process around the request, measured here, not by the code under test. */
  cpuMs: number;
  wallMs: number;
  report: DrainReport;
}

const env = process.env;
const worker = env.FANOUT_WORKER ?? 'w';
const runDate = env.FANOUT_DATE!;
// The worker dies (SIGKILL, no cleanup) inside the provider call of its N-th ingest fetch: mid-job.
const dieAtFetch = Number(env.FANOUT_DIE_AT_FETCH ?? 0);
const deadline = Date.now() + Number(env.FANOUT_DEADLINE_MS ?? 170_000);

const market = createSyntheticMarket(env.FANOUT_FROM!, runDate);
let fetches = 0;
const provider = market.provider(() => {
  if (++fetches === dieAtFetch) process.kill(process.pid, 'SIGKILL');
});
const sql = connect(env.FANOUT_DB_URL!, { max: 2 });
const ctx = createContext(
  {
    DATABASE_URL: env.FANOUT_DB_URL,
    ...TEST_KEYS,
    STRATOS_LEASE_SECONDS: env.FANOUT_LEASE_SECONDS ?? '120',
    STRATOS_DRAIN_CPU_MS: env.STRATOS_DRAIN_CPU_MS,
    STRATOS_DRAIN_WALL_MS: env.STRATOS_DRAIN_WALL_MS,
    STRATOS_REPAIR_DAYS: '1',
    STRATOS_REVIEW_LIMIT: '10',
  },
  { sql, providers: () => [provider] },
);
const cpuClock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const apps = [
  ['ingest-ohlcv', ingestOhlcv(ctx, { cpuClock })],
  ['calc-features', calcFeatures(ctx, { cpuClock })],
  ['evaluate-signals', evaluateSignals(ctx, { cpuClock })],
  ['ai-review', aiReview(ctx, { cpuClock })],
] as const;

/** True once the day's review run has finished and no job is left anywhere. */
async function finished(): Promise<boolean> {
  const [row] = await sql<{ done: boolean }[]>`
    select exists (select 1 from pipeline_runs where stage = 'review' and run_date = ${runDate} and status <> 'running')
       and not exists (select 1 from pipeline_jobs where status in ('queued', 'running')) as done`;
  return row?.done ?? false;
}

async function invoke(fn: string, app: (typeof apps)[number][1], path: string, body?: unknown) {
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  const res = await app.request(path, {
    method: 'POST',
    headers: { ...AS.service, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as DrainReport | { drained: DrainReport };
  const wallMs = performance.now() - w0;
  const cpu = process.cpuUsage(cpu0);
  const report = 'drained' in json ? json.drained : json;
  const line: InvocationLine = {
    worker,
    fn,
    status: res.status,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    report,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return report;
}

// Worker 0 triggers the day's pipeline (ingest, chained on) through the ingest function, as pg_cron does.
if (env.FANOUT_TRIGGER === '1') {
  await invoke('ingest-ohlcv', apps[0][1], '/ingest-ohlcv', {
    date: runDate,
    universe: 'equity_all',
    chain: true,
  });
}
let n = Number(worker.replace(/\D/g, '')) || 0;
while (Date.now() < deadline) {
  const [fn, app] = apps[n++ % apps.length]!;
  const report = await invoke(fn, app, `/${fn}/drain`);
  if (report.processed > 0) continue;
  if (await finished()) break;
  await new Promise((r) => setTimeout(r, 100));
}
await sql.end();
