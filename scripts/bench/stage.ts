// The features stage end to end: an embedded PostgreSQL, the real migrations, a synthetic equity universe
// derived from the S&P series, then one daily run through the real queue, timed job by job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { triggerRun } from '../../shared/api/service.ts';
import { createContext, drainBudgetFromEnv } from '../../shared/config.ts';
import { connect, type Sql } from '../../shared/db/client.ts';
import type { BarSeries } from '../../shared/domain/market.ts';
import { computeFeatures } from '../../shared/features/compute.ts';
import { claimJobs, getRun, processJob } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { startEmbeddedPostgres } from '../local/embedded.ts';
import { migrate } from '../local/migrate.ts';
import { BENCHMARK_SYMBOL, type Dataset, loadBenchmark, tradingCalendar } from './data.ts';
import type { Outcome } from './measure.ts';

/** ~2 years of daily bars per synthetic asset. */
const HISTORY_BARS = 504;
/** Each copy of a ticker ends this many bars earlier than the previous copy, so no two copies share a window. */
const COPY_SHIFT_BARS = 60;

export interface JobStat {
  id: number;
  cpuMs: number;
  wallMs: number;
}

export interface StageResult {
  date: string;
  assets: number;
  bars: number;
  setupMs: number;
  loadMs: number;
  wallMs: number;
  jobs: JobStat[];
  status: string;
  featureRows: number;
  /** The most CPU that jobs run back to back for one drain request's wall budget used. */
  drainRequestCpuMs: number;
  /** Anchor: computeFeatures over the same assets' bars in memory, no database. */
  computeMs: number;
  /** The same anchor as process CPU, whole series. */
  computeCpuMs: number;
  /** Process CPU of computeFeatures as a daily run calls it (values from the run date on only). */
  dailyComputeCpuMs: number;
  /** The same run drained by two concurrent loops (as the CLI drains). */
  twoLoopsWallMs: number;
  /** Assets the timed run resumed from the previous day's stored kernel state. */
  resumedAssets: number;
  /** The previous day's run, without any stored state (every asset from its full history), one loop. */
  coldWallMs: number;
  coldJobs: number;
}

/** One asset to load: a window of a ticker's bars from `start`, scaled, relabelled onto `dates`. */
export interface SyntheticAsset {
  symbol: string;
  dates: string[];
  series: BarSeries;
  start: number;
  scale: number;
}

/** A throwaway embedded PostgreSQL with the real migrations applied, and a pool on it. */
export interface ScratchDatabase {
  url: string;
  sql: Sql;
  /** Server start plus migrations. */
  setupMs: number;
  close: () => Promise<void>;
}

/** Starts a throwaway embedded PostgreSQL in a temporary directory and applies the migrations. */
export async function openScratchDatabase(): Promise<ScratchDatabase> {
  const t0 = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'stratos-bench-pg-'));
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  const close = async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    server = await startEmbeddedPostgres({ dataDir, persistent: false });
    const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
    await admin.unsafe('create database stratos_bench');
    await admin.end();
    const url = server.url('stratos_bench');
    await migrate(url);
    const sql = connect(url, { max: 4 });
    return {
      url,
      sql,
      setupMs: performance.now() - t0,
      close: async () => {
        await sql.end();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Runs the stage over `copies` shifted, scaled copies of every ticker; a failure is reported, not thrown. */
export async function benchFeaturesStage(data: Dataset, copies: number): Promise<Outcome<StageResult>> {
  let db: ScratchDatabase | undefined;
  try {
    db = await openScratchDatabase();
    const { url, sql, setupMs } = db;
    const calendar = tradingCalendar(data);
    const date = calendar[calendar.length - 1]!;
    const assets = [...syntheticUniverse(data, copies, calendar), benchmarkAsset(calendar)];
    const t1 = performance.now();
    const bars = await loadUniverse(sql, assets);
    const loadMs = performance.now() - t1;

    const ctx = createContext({ DATABASE_URL: url }, { sql });
    // The day before, as the daily chain ran it: no stored state yet, so every asset is computed from its
    // full history (the cold figure), and each asset's kernel state is stored for the timed day.
    const t1c = performance.now();
    await triggerRun(ctx, {
      stage: 'features',
      date: calendar[calendar.length - 2]!,
      universe: 'equity_all',
    });
    const coldJobs = (await drainJobs(ctx, 1)).length;
    const coldWallMs = performance.now() - t1c;
    await sql`create table bench_feature_state as select * from feature_state`;
    const t2 = performance.now();
    const [run] = await triggerRun(ctx, { stage: 'features', date, universe: 'equity_all' });
    const jobs = await drainJobs(ctx, 1);
    const wallMs = performance.now() - t2;
    if (jobs.length === 0) return { ok: false, reason: 'the features run queued no jobs' };
    const finished = await getRun(ctx, run!.id);
    const [resumed] = await sql<{ n: number }[]>`
      select coalesce(sum((result->>'resumed_assets')::int), 0)::int as n from pipeline_jobs where run_id = ${run!.id}`;
    const benchmark = scaled(assets[assets.length - 1]!);
    const series = assets.map(scaled);
    const c0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (const bars of series) computeFeatures(bars, { periodsPerYear: 252, benchmark });
    const computeMs = performance.now() - c0;
    const computeCpu = process.cpuUsage(cpu0);
    const cpu1 = process.cpuUsage();
    for (const bars of series) {
      computeFeatures(bars, { periodsPerYear: 252, benchmark }, bars.dates.length - 1);
    }
    const dailyCpu = process.cpuUsage(cpu1);
    const [written] = await sql<
      { n: number }[]
    >`select count(*)::int as n from daily_features where date = ${date}`;
    // The same run again from the previous day's states, drained by two loops as `stratos features` and the
    // local worker drain: one job's database work overlaps the other's computing.
    await sql`delete from daily_features where date = ${date}`;
    await sql`delete from feature_state`;
    await sql`insert into feature_state select * from bench_feature_state`;
    const t3 = performance.now();
    await triggerRun(ctx, { stage: 'features', date, universe: 'equity_all' });
    await drainJobs(ctx, 2);
    const twoLoopsWallMs = performance.now() - t3;
    return {
      ok: true,
      value: {
        date,
        assets: assets.length,
        bars,
        setupMs,
        loadMs,
        wallMs,
        jobs,
        status: finished?.status ?? 'missing',
        featureRows: written?.n ?? 0,
        drainRequestCpuMs: drainRequestCpu(jobs),
        computeMs,
        computeCpuMs: (computeCpu.user + computeCpu.system) / 1000,
        dailyComputeCpuMs: (dailyCpu.user + dailyCpu.system) / 1000,
        twoLoopsWallMs,
        resumedAssets: resumed?.n ?? 0,
        coldWallMs,
        coldJobs,
      },
    };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.split('\n')[0]! };
  } finally {
    await db?.close();
  }
}

/**
 * Claims and processes the queued jobs with `workers` concurrent loops (the CLI drains with 2), timing
 * each job. With one loop a job's CPU is its own; with more, jobs overlap and share the process clock.
 */
export async function drainJobs(ctx: PipelineContext, workers: number): Promise<JobStat[]> {
  const jobs: JobStat[] = [];
  const loop = async (worker: number) => {
    for (;;) {
      const [job] = await claimJobs(ctx, `bench-${worker}`, 1);
      if (!job) return;
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      await processJob(ctx, job);
      const cpu = process.cpuUsage(cpu0);
      jobs.push({ id: job.id, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - w0 });
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => loop(i)));
  return jobs;
}

/**
 * Copy k of a ticker takes the HISTORY_BARS bars ending k * COPY_SHIFT_BARS before its last bar (as far as
 * its history allows), prices scaled by 1 + k/4, relabelled onto the last dates of the calendar.
 */
function syntheticUniverse(data: Dataset, copies: number, calendar: readonly string[]): SyntheticAsset[] {
  const out: SyntheticAsset[] = [];
  for (const { symbol, series } of data.tickers) {
    const n = series.close.length;
    for (let k = 0; k < copies; k++) {
      const end = n - Math.min(k * COPY_SHIFT_BARS, Math.max(0, n - HISTORY_BARS));
      const start = Math.max(0, end - HISTORY_BARS);
      out.push({
        symbol: k === 0 ? symbol : `${symbol}-${k}`,
        dates: calendar.slice(calendar.length - (end - start)),
        series,
        start,
        scale: 1 + k / 4,
      });
    }
  }
  return out;
}

/** The benchmark the features stage loads beside each job's assets: SPY on the calendar's last HISTORY_BARS dates. */
function benchmarkAsset(calendar: readonly string[]): SyntheticAsset {
  const series = loadBenchmark(
    calendar[Math.max(0, calendar.length - HISTORY_BARS)]!,
    calendar[calendar.length - 1]!,
  );
  return { symbol: BENCHMARK_SYMBOL, dates: series.dates, series, start: 0, scale: 1 };
}

/** The bars `loadUniverse` stores for an asset, as the features stage reads them back. */
function scaled(a: SyntheticAsset): BarSeries {
  const end = a.start + a.dates.length;
  const part = (x: Float64Array) => x.slice(a.start, end).map((v) => v * a.scale);
  const { open, high, low, close, volume } = a.series;
  return {
    dates: a.dates,
    open: part(open),
    high: part(high),
    low: part(low),
    close: part(close),
    volume: volume.slice(a.start, end),
  };
}

/** Inserts the assets, COPYs their bars in and analyzes; returns the number of bars. */
export async function loadUniverse(sql: Sql, assets: readonly SyntheticAsset[]): Promise<number> {
  const rows = assets.map((a) => ({ symbol: a.symbol, asset_type: 'equity', name: `bench ${a.symbol}` }));
  await sql`insert into assets ${sql(rows, 'symbol', 'asset_type', 'name')}`;
  const inserted = await sql<{ id: number; symbol: string }[]>`select id, symbol from assets`;
  const idBySymbol = new Map(inserted.map((r) => [r.symbol, r.id]));
  let bars = 0;
  function* lines(): Generator<string> {
    for (const a of assets) {
      const id = idBySymbol.get(a.symbol)!;
      const { open, high, low, close, volume } = a.series;
      const s = a.scale;
      let text = '';
      for (let j = 0; j < a.dates.length; j++) {
        const i = a.start + j;
        text += `${id}\t${a.dates[j]}\t${open[i]! * s}\t${high[i]! * s}\t${low[i]! * s}\t${close[i]! * s}\t${volume[i]}\tbench\n`;
      }
      bars += a.dates.length;
      yield text;
    }
  }
  const copy = await sql`
    copy daily_bars (asset_id, date, open, high, low, close, volume, source) from stdin`.writable();
  await pipeline(Readable.from(lines()), copy);
  await sql`analyze assets`;
  await sql`analyze daily_bars`;
  return bars;
}

/**
 * An Edge Function's drain request starts a job only while its CPU so far plus its costliest job so far
 * fits the CPU budget (shared/pipeline/queue.ts `drain`), and Supabase's 2 s CPU limit applies to the
 * request, not to each job: the CPU of the busiest such request.
 */
function drainRequestCpu(jobs: readonly JobStat[]): number {
  const budget = drainBudgetFromEnv(process.env).cpuMs;
  let worst = 0;
  for (let first = 0; first < jobs.length; first++) {
    let cpu = 0;
    let reserve = 0;
    for (let j = first; j < jobs.length && cpu + reserve <= budget; j++) {
      cpu += jobs[j]!.cpuMs;
      reserve = Math.max(reserve, jobs[j]!.cpuMs);
    }
    worst = Math.max(worst, cpu);
  }
  return worst;
}
