import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { startBacktest } from '../../shared/api/backtests.ts';
import { listRuns, runTargets, triggerRun } from '../../shared/api/service.ts';
import { addDays } from '../../shared/calendar/index.ts';
import { ensureLocalCredentials } from './credentials.ts';
import { ROOT } from './database.ts';
import { seedDemoPortfolios } from './demo-portfolios.ts';
import { startScheduler } from './scheduler.ts';
import { answerParseErrorsAsJson, createGateway, FUNCTIONS } from './server.ts';
import { drainUntilIdle, openSession } from './session.ts';

/** Calendar days of demo history loaded into an empty database: a 200-day average and a 52-week range. */
export const DEMO_HISTORY_DAYS = 730;
/**
 * The demo's review history: the rules reviewer also reviews the `limit` strongest candidates of every
 * `every`-th trading day of the last `days`, so the review scorecard, calibration and review history
 * show past verdicts on the first start.
 */
const DEMO_REVIEW_HISTORY = { days: 180, every: 20, limit: 10 };

/**
 * The review history a demo seed asks for up to `date`: only with the rules reviewer, since an LLM is
 * never paid for the demo's past.
 */
export function demoReviewHistory(reviewerModel: string, date: string) {
  if (reviewerModel !== 'rules') return undefined;
  const { days, every, limit } = DEMO_REVIEW_HISTORY;
  return { from: addDays(date, -days), every, limit };
}
/**
 * The demo's first backtest, so the Backtests page shows a result on the first start: the classic SMA
 * cross over the demo crypto universe's last `days` (one queue job, about a second).
 */
const DEMO_BACKTEST = { strategy: 'sma_cross', universe: 'crypto_all', days: 365, cash: 100_000 };
const DASHBOARD_DIR = join(ROOT, 'dashboard');
const DASHBOARD_DIST = join(DASHBOARD_DIR, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when there is no build or the sources changed since. */
function ensureDashboardBuilt(log: (line: string) => void): void {
  const index = join(DASHBOARD_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(DASHBOARD_DIR)) return;
  log('building the dashboard (vite)');
  const res = spawnSync(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) throw new Error('dashboard build failed');
}

/** A running local stack: its base URL and how to stop it. */
export interface LocalStack {
  base: string;
  stop: () => Promise<void>;
}

/**
 * Starts the local stack: database, migrations, demo universe (first start only), the pipeline for
 * the latest trading day (unless already done), then the functions and the dashboard on one port, and
 * the scheduler. `env` defaults to the process environment; tests pass their own database and keys.
 */
export async function launchLocalStack(opts: {
  port: number;
  seed: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<LocalStack> {
  const env = opts.env ?? process.env;
  const t0 = performance.now();
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
  const log = opts.log ?? ((line: string) => console.log(`[${elapsed()}] ${line}`));
  const written = ensureLocalCredentials(join(ROOT, '.env'), env);
  if (written.length > 0) log(`wrote new local credentials to .env: ${written.join(', ')}`);
  const session = await openSession({ log, env });
  const { ctx } = session;
  log(`database: ${session.db.origin}`);

  const [counted] = await ctx.sql<{ bars: number }[]>`select count(*) as bars from daily_bars`;
  const seeding = (counted?.bars ?? 0) === 0 && opts.seed;
  const targets = await runTargets(ctx, {});
  for (const { universe, date } of targets) {
    const review = (await listRuns(ctx, { date })).find(
      (r) => r.universe === universe && r.stage === 'review',
    );
    if (seeding) {
      log(`${universe}: loading ${DEMO_HISTORY_DAYS} days of demo history up to ${date}, then the pipeline`);
      const reviewHistory = demoReviewHistory(ctx.reviewer.model, date);
      await triggerRun(ctx, {
        stage: 'pipeline',
        date,
        universe,
        from: addDays(date, -DEMO_HISTORY_DAYS),
        ...(reviewHistory ? { reviewHistory } : {}),
      });
    } else if (!review || review.status === 'running') {
      log(`${universe}: running the pipeline for ${date}`);
      await triggerRun(ctx, { stage: 'pipeline', date, universe }, { rerun: false });
    } else {
      log(`${universe}: pipeline for ${date} already done; reusing the data`);
    }
  }
  await drainUntilIdle(ctx, `start-${process.pid}`);
  const demoTarget = targets.find((t) => t.universe === DEMO_BACKTEST.universe);
  if (seeding && demoTarget) {
    const { strategy, universe, days, cash } = DEMO_BACKTEST;
    log(`${universe}: backtesting ${strategy} over the last ${days} days`);
    await startBacktest(ctx, { strategy, universe, cash, from: addDays(demoTarget.date, -days) });
    await drainUntilIdle(ctx, `start-${process.pid}`);
  }
  const equityTarget = targets.find((t) => t.universe === 'equity_all');
  if (seeding && equityTarget) await seedDemoPortfolios(ctx, equityTarget.date, log);
  for (const { universe, date } of targets) {
    for (const r of (await listRuns(ctx, { date })).filter((x) => x.universe === universe).reverse()) {
      log(`  ${r.stage.padEnd(9)} ${r.universe.padEnd(11)} ${r.run_date} ${r.status}`);
    }
  }

  ensureDashboardBuilt(log);
  const gateway = createGateway(ctx, DASHBOARD_DIST);
  const server = serve({ fetch: gateway.fetch, hostname: '127.0.0.1', port: opts.port });
  answerParseErrorsAsJson(server as Server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const stopScheduler = startScheduler(ctx);
  log('ready');
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      await stopScheduler();
      await new Promise<void>((done) => server.close(() => done()));
      await session.close();
    },
  };
}

/** The stage functions the gateway serves besides control-api, for the start banner. */
const STAGE_FUNCTIONS = Object.keys(FUNCTIONS)
  .filter((name) => name !== 'control-api')
  .join(',');

/** `npm start`: launches the local stack, prints its URLs and resolves once Ctrl-C has stopped it. */
export async function startLocalStack(opts: { port: number; seed: boolean }): Promise<void> {
  const stack = await launchLocalStack(opts);
  console.log(`
  Dashboard      ${stack.base}/
  control-api    ${stack.base}/functions/v1/control-api/health
  functions      ${stack.base}/functions/v1/{${STAGE_FUNCTIONS}}
  admin token    ${process.env.STRATOS_ADMIN_TOKEN} (from .env; paste it in the dashboard's settings to write)
  The scheduler runs pipeline_schedules and drains the queue. Ctrl-C stops everything.
`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      console.log('\nstopping...');
      await stack.stop();
      console.log('stopped');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
