// The signals stage end to end: an embedded PostgreSQL, the real migrations and built-in templates,
// features computed from the S&P series, then a one-day run over 5,000 assets and a 5-year history run
// over 500, each through the real queue and timed from trigger to finished run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { addDays, tradingDays } from '../../shared/calendar/index.ts';
import { createContext } from '../../shared/config.ts';
import { connect, type Sql } from '../../shared/db/client.ts';
import { ASSET_FEATURE_NAMES } from '../../shared/features/catalogue.ts';
import { type AssetFeatures, computeFeatures } from '../../shared/features/compute.ts';
import { drain, getRun, startRun } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { loadActiveTemplates } from '../../shared/signals/store.ts';
import { startEmbeddedPostgres } from '../local/embedded.ts';
import { migrate } from '../local/migrate.ts';
import { type Dataset, loadBenchmark, loadSp500, tradingCalendar } from './data.ts';
import { ms, pairs, verdict } from './report.ts';

const DAY_ASSETS = 5000;
const DAY_TARGET_MS = 1000;
/** Stored days per asset in the one-day run: the evaluated day and more than the templates' lookback. */
const DAY_ROWS = 30;
/** Each copy of a ticker ends this many bars earlier than the previous one, so copies differ. */
const COPY_SHIFT_BARS = 60;
/** The evaluated day of the one-day run: a Friday, after the S&P set's dates so the two runs never share one. */
const DAY_DATE = '2026-11-20';
const HISTORY_ASSETS = 500;
const HISTORY_TARGET_MS = 30_000;

/** One line of the bench's closing summary. */
export interface SignalsVerdict {
  target: string;
  result: string;
  pass: boolean;
}

/** One asset to store: its symbol, dates and the slice [start, start + dates.length) of a ticker's bars and features. */
interface BenchAsset {
  symbol: string;
  ticker: number;
  start: number;
  dates: readonly string[];
}

interface Computed {
  data: Dataset;
  features: AssetFeatures[];
}

interface RunTiming {
  wallMs: number;
  jobs: number;
  facts: number;
  status: string;
}

/**
 * Times the signals stage on a one-day run over 5,000 assets and a 5-year history run over 500
 * (features computed from `data`, the whole S&P set), prints both against their targets and returns
 * the verdicts.
 */
export async function benchSignals(data: Dataset): Promise<SignalsVerdict[]> {
  const dayTarget = `signals, ${DAY_ASSETS.toLocaleString('en-US')} assets x 1 day < ${DAY_TARGET_MS / 1000} s`;
  const historyTarget = `signals, ${HISTORY_ASSETS} assets x 5 years < ${HISTORY_TARGET_MS / 1000} s`;
  const dataDir = mkdtempSync(join(tmpdir(), 'stratos-bench-signals-'));
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let sql: Sql | undefined;
  try {
    const t0 = performance.now();
    server = await startEmbeddedPostgres({ dataDir, persistent: false });
    const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
    await admin.unsafe('create database stratos_bench_signals');
    await admin.end();
    const url = server.url('stratos_bench_signals');
    await migrate(url);
    const setupMs = performance.now() - t0;

    const t1 = performance.now();
    const computed = computeAll(data);
    const computeMs = performance.now() - t1;

    sql = connect(url, { max: 4 });
    const ctx = createContext({ DATABASE_URL: url }, { sql });
    const t2 = performance.now();
    const day = dayUniverse(computed);
    const history = historyUniverse(computed);
    await load(sql, computed, 'bench_day', day);
    await load(sql, computed, 'bench_history', history);
    const loadMs = performance.now() - t2;
    const templates = await loadActiveTemplates(sql);

    const dayRun = await timeRun(ctx, 'bench_day', DAY_DATE, DAY_DATE);
    const calendar = tradingCalendar(data);
    const [first, last] = [calendar[0]!, calendar[calendar.length - 1]!];
    const historyRun = await timeRun(ctx, 'bench_history', first, last);
    const historyRows = history.reduce((n, a) => n + a.dates.length, 0);

    console.log(
      pairs([
        ['database start + migrations', ms(setupMs)],
        ['computeFeatures (not timed)', `${ms(computeMs)} for ${data.tickers.length} S&P tickers`],
        [
          'load (COPY + analyze)',
          `${ms(loadMs)}: ${(day.length * DAY_ROWS).toLocaleString('en-US')} + ${historyRows.toLocaleString('en-US')} ` +
            'bar and feature rows',
        ],
        ['templates', `${templates.length} enabled built-ins`],
        [`one day ${DAY_DATE}`, describeRun(dayRun, `${day.length.toLocaleString('en-US')} assets`)],
        [
          `history ${first} .. ${last}`,
          describeRun(
            historyRun,
            `${history.length} assets, ${historyRows.toLocaleString('en-US')} asset-days`,
          ),
        ],
      ]),
    );
    console.log(
      '\nWall time from startRun to the last job done, one worker, jobs back to back: planning, claims, ' +
        'row and rank queries, evaluation and the replace-the-range writes.',
    );
    return [
      {
        target: dayTarget,
        result: ms(dayRun.wallMs),
        pass: dayRun.status === 'succeeded' && dayRun.wallMs < DAY_TARGET_MS,
      },
      {
        target: historyTarget,
        result: ms(historyRun.wallMs),
        pass: historyRun.status === 'succeeded' && historyRun.wallMs < HISTORY_TARGET_MS,
      },
    ];
  } catch (err) {
    const result = `n/a (${(err as Error).message.split('\n')[0]})`;
    console.log(result);
    return [
      { target: dayTarget, result, pass: false },
      { target: historyTarget, result, pass: false },
    ];
  } finally {
    await sql?.end();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function describeRun(r: RunTiming, what: string): string {
  return `${ms(r.wallMs)} wall, ${what}, ${r.jobs} jobs, ${r.facts.toLocaleString('en-US')} facts, ${r.status}`;
}

/** Every ticker's features over its whole history, SPY as the benchmark. */
function computeAll(data: Dataset): Computed {
  const calendar = tradingCalendar(data);
  const benchmark = loadBenchmark(calendar[0]!, calendar[calendar.length - 1]!);
  return {
    data,
    features: data.tickers.map((t) => computeFeatures(t.series, { periodsPerYear: 252, benchmark })),
  };
}

/**
 * 5,000 assets with DAY_ROWS stored days each, ending on a recent NYSE day: copy k of a ticker takes
 * the DAY_ROWS bars ending k * COPY_SHIFT_BARS before its last bar, so the copies' values differ.
 */
function dayUniverse({ data }: Computed): BenchAsset[] {
  const dates = tradingDays('equity', addDays(DAY_DATE, -DAY_ROWS * 2), DAY_DATE).slice(-DAY_ROWS);
  const out: BenchAsset[] = [];
  for (let k = 0, added = 1; out.length < DAY_ASSETS && added > 0; k++) {
    added = 0;
    data.tickers.forEach((t, ticker) => {
      const end = t.series.close.length - k * COPY_SHIFT_BARS;
      if (out.length < DAY_ASSETS && end >= DAY_ROWS) {
        out.push({ symbol: `D${k}-${t.symbol}`, ticker, start: end - DAY_ROWS, dates });
        added++;
      }
    });
  }
  return out;
}

/** The first 500 tickers with their whole stored history (about 5 years) on their own dates. */
function historyUniverse({ data }: Computed): BenchAsset[] {
  return data.tickers
    .slice(0, HISTORY_ASSETS)
    .map((t, ticker) => ({ symbol: `H-${t.symbol}`, ticker, start: 0, dates: t.series.dates }));
}

const cell = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '\\N' : String(x));

/** Stores the assets with their bars and features, COPY'd in, and a universe listing them. */
async function load(sql: Sql, { data, features }: Computed, universe: string, assets: readonly BenchAsset[]) {
  const inserted = await sql<{ id: number; symbol: string }[]>`
    insert into assets (symbol, asset_type, name)
    select s, 'equity', 'bench ' || s from unnest(${assets.map((a) => a.symbol)}::text[]) as s
    returning id, symbol`;
  const ids = new Map(inserted.map((r) => [r.symbol, r.id]));
  await sql`
    insert into universes (id, name, asset_type, symbols)
    values (${universe}, ${universe}, 'equity', ${assets.map((a) => a.symbol)}::text[])`;

  function* barLines(): Generator<string> {
    for (const a of assets) {
      const { open, high, low, close, volume } = data.tickers[a.ticker]!.series;
      let text = '';
      for (let j = 0; j < a.dates.length; j++) {
        const i = a.start + j;
        text += `${ids.get(a.symbol)}\t${a.dates[j]}\t${open[i]}\t${high[i]}\t${low[i]}\t${close[i]}\t${volume[i]}\tbench\n`;
      }
      yield text;
    }
  }
  function* featureLines(): Generator<string> {
    for (const a of assets) {
      const values = features[a.ticker]!;
      const columns = ASSET_FEATURE_NAMES.map((n) => values[n]);
      let text = '';
      for (let j = 0; j < a.dates.length; j++) {
        const i = a.start + j;
        text += `${ids.get(a.symbol)}\t${a.dates[j]}`;
        for (const c of columns) text += `\t${cell(c[i])}`;
        text += '\n';
      }
      yield text;
    }
  }
  await pipeline(
    Readable.from(barLines()),
    await sql`copy daily_bars (asset_id, date, open, high, low, close, volume, source) from stdin`.writable(),
  );
  await pipeline(
    Readable.from(featureLines()),
    await sql`copy daily_features (asset_id, date, ${sql.unsafe(ASSET_FEATURE_NAMES.join(', '))}) from stdin`.writable(),
  );
  await sql`analyze assets`;
  await sql`analyze daily_bars`;
  await sql`analyze daily_features`;
}

/** Starts a signals run for [from, to] and drains it with one worker; wall time from start to finish. */
async function timeRun(ctx: PipelineContext, universe: string, from: string, to: string): Promise<RunTiming> {
  const t0 = performance.now();
  const { run } = await startRun(ctx, {
    stage: 'signals',
    date: to,
    universe,
    chain: false,
    params: from === to ? {} : { from },
  });
  await drain(ctx, { workerId: 'bench-signals', budgetMs: 600_000 });
  const wallMs = performance.now() - t0;
  const finished = await getRun(ctx, run.id);
  const [jobs] = await ctx.sql<
    { n: number }[]
  >`select count(*)::int as n from pipeline_jobs where run_id = ${run.id}`;
  const [facts] = await ctx.sql<{ n: number }[]>`
    select count(*)::int as n from daily_signal_facts f join assets a on a.id = f.asset_id
    where a.symbol = any((select symbols from universes where id = ${universe})::text[])`;
  return { wallMs, jobs: jobs?.n ?? 0, facts: facts?.n ?? 0, status: finished?.status ?? 'missing' };
}

// `tsx scripts/bench/signals.ts`: this section alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const v of await benchSignals(loadSp500()))
    console.log(`${verdict(v.pass)}  ${v.target}: ${v.result}`);
}
