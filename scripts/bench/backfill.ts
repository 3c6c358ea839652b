// The feature backfill of the real S&P set (`stratos features --from <first> --date <last>`): the stage
// through the queue on an embedded PostgreSQL, drained by two loops as the CLI drains it, then run again (nothing
// changes, nothing is rewritten). Anchors measured in the same run: the catalogue computed in memory
// over the same bars, and one plain COPY of the same number of feature rows into a bare table.
import { triggerRun } from '../../shared/api/service.ts';
import { createContext } from '../../shared/config.ts';
import { computeFeatures } from '../../shared/features/compute.ts';
import type { FeatureOptions } from '../../shared/features/types.ts';
import { copyFeatureBlocks } from '../../shared/stages/features/write.ts';
import { BENCHMARK_SYMBOL, type Dataset, loadBenchmark, tradingCalendar } from './data.ts';
import type { Outcome } from './measure.ts';
import {
  drainJobs,
  loadUniverse,
  openScratchDatabase,
  type ScratchDatabase,
  type SyntheticAsset,
} from './stage.ts';

/** Assets per COPY of the plain-COPY anchor (~60,000 rows). */
const COPY_ASSETS = 50;

/** One pass of the backfill through the queue. */
export interface BackfillPass {
  wallMs: number;
  /** CPU of this process (reading bars, computing, encoding rows), not of the PostgreSQL server. */
  cpuMs: number;
  jobs: number;
}

export interface BackfillResult {
  from: string;
  to: string;
  assets: number;
  bars: number;
  setupMs: number;
  loadMs: number;
  first: BackfillPass;
  again: BackfillPass;
  rows: number;
  /** Anchor: computeFeatures over every asset's bars, in memory. */
  computeMs: number;
  /** Anchor: one COPY of `rows` feature rows into a table without keys, indexes or triggers. */
  plainCopyMs: number;
}

/** Backfills the S&P set's features twice and measures the anchors; a failure is reported, not thrown. */
export async function benchBackfill(all: Dataset): Promise<Outcome<BackfillResult>> {
  let db: ScratchDatabase | undefined;
  try {
    db = await openScratchDatabase();
    const { sql, url } = db;
    const calendar = tradingCalendar(all);
    const from = calendar[0]!;
    const to = calendar[calendar.length - 1]!;
    const benchmark = loadBenchmark(from, to);
    const assets: SyntheticAsset[] = [
      ...all.tickers.map((t) => ({
        symbol: t.symbol,
        dates: t.series.dates,
        series: t.series,
        start: 0,
        scale: 1,
      })),
      { symbol: BENCHMARK_SYMBOL, dates: benchmark.dates, series: benchmark, start: 0, scale: 1 },
    ];
    const t0 = performance.now();
    const bars = await loadUniverse(sql, assets);
    const loadMs = performance.now() - t0;

    const ctx = createContext({ DATABASE_URL: url }, { sql });
    const pass = async (): Promise<BackfillPass> => {
      const w0 = performance.now();
      const cpu0 = process.cpuUsage();
      await triggerRun(ctx, { stage: 'features', date: to, universe: 'equity_all', from });
      const jobs = await drainJobs(ctx, 2);
      const cpu = process.cpuUsage(cpu0);
      return {
        wallMs: performance.now() - w0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        jobs: jobs.length,
      };
    };
    const first = await pass();
    const again = await pass();
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from daily_features`;

    // The anchors: the same computation without a database (results dropped as they come, as a job
    // drops them), and the same rows through the cheapest write, in COPYs of COPY_ASSETS assets each
    // so that the computed columns need not all be held at once.
    const opts: FeatureOptions = { periodsPerYear: 252, benchmark };
    const c0 = performance.now();
    for (const a of assets) computeFeatures(a.series, opts);
    const computeMs = performance.now() - c0;
    await sql`create table plain_copy (like daily_features including defaults)`;
    let plainCopyMs = 0;
    for (let k = 0; k < assets.length; k += COPY_ASSETS) {
      const blocks = assets.slice(k, k + COPY_ASSETS).map((a, j) => ({
        assetId: k + j + 1,
        dates: a.dates,
        values: computeFeatures(a.series, opts),
        start: 0,
        end: a.dates.length,
      }));
      const p0 = performance.now();
      await sql.begin((tx) => copyFeatureBlocks(tx, 'plain_copy', blocks));
      plainCopyMs += performance.now() - p0;
    }
    return {
      ok: true,
      value: {
        from,
        to,
        assets: assets.length,
        bars,
        setupMs: db.setupMs,
        loadMs,
        first,
        again,
        rows: count?.n ?? 0,
        computeMs,
        plainCopyMs,
      },
    };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.split('\n')[0]! };
  } finally {
    await db?.close();
  }
}
