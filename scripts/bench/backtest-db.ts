// Backtests end to end from the database: the real S&P file imported with import-csv and its features
// backfilled through the queue into an embedded PostgreSQL cached in .stratos/bench/backtest-pg (a rerun
// skips that preparation), then for every built-in what the backtest stage does: loadPanel (the
// database) and backtestReport (the simulation), each strategy on its own; then all of them over one
// panel loaded once with the union of their columns (what a batch of strategies, e.g. a search, does),
// and each on its own again with one ColumnCache shared by the loads (each reads only the columns no
// earlier load read). Every built-in's metrics on the real set are printed (the S&P file holds no SPY:
// `--only engine` prints buy-and-hold of SPY from its own file).
// Anchors measured in the same run: the same simulation over the panel already in memory, and a plain
// select of the same rows as row objects (the row path the columnar load replaced).
// `npm run bench -- --only backtest-db`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { triggerRun } from '../../shared/api/service.ts';
import { importCsv } from '../../shared/bars/import.ts';
import { createContext } from '../../shared/config.ts';
import { connect, type Sql } from '../../shared/db/client.ts';
import { ColumnCache, loadPanel, strategyReads, unionReads } from '../../shared/engine/load.ts';
import { type BacktestReport, backtestReport } from '../../shared/engine/report.ts';
import { BUILTIN_STRATEGIES, builtinSpec } from '../../shared/strategy/builtins/index.ts';
import { STATE_DIR } from '../local/database.ts';
import { openCachedDatabase } from './api-data.ts';
import { SP500_CSV } from './data.ts';
import { ms, pairs, ratio, table } from './report.ts';
import { drainJobs } from './stage.ts';

/** Bump when the preparation changes: a cached database of another version is rebuilt. */
const DATASET_VERSION = 1;
const DATA_DIR = join(STATE_DIR, 'bench', 'backtest-pg');
const DATABASE = 'stratos_backtest_bench';
const UNIVERSE = 'equity_all';
const CASH = 1_000_000;
/** The issue's targets, end to end from the database. */
const ONE_TARGET_MS = 2_000;
const ALL_TARGET_MS = 10_000;
const MB = 1024 * 1024;

/** One line of the closing summary. */
export interface BacktestDbVerdict {
  target: string;
  result: string;
  pass: boolean;
}

interface Row {
  id: string;
  assets: number;
  days: number;
  loadMs: number;
  simulateMs: number;
  memorySimulateMs: number;
  /** This process's CPU (user + system) for the load and the simulation: what an Edge invocation is charged. */
  cpuMs: number;
  rssMb: number;
  heapMb: number;
}

/** The preparation: import-csv of the S&P file, then the feature backfill over all its dates. */
async function prepare(sql: Sql, url: string, log: (line: string) => void): Promise<void> {
  const ctx = createContext({ DATABASE_URL: url }, { sql });
  let t = performance.now();
  const imported = await importCsv(ctx, { text: readFileSync(SP500_CSV, 'utf8'), assetType: 'equity' });
  log(`  import-csv: ${imported.inserted.toLocaleString('en-US')} bars in ${ms(performance.now() - t)}`);
  const [range] = await sql<{ from: string; to: string }[]>`
    select min(date)::text as from, max(date)::text as to from daily_bars`;
  t = performance.now();
  await triggerRun(ctx, { stage: 'features', date: range!.to, universe: UNIVERSE, from: range!.from });
  const jobs = await drainJobs(ctx, 2);
  log(`  features backfill: ${jobs.length} jobs in ${ms(performance.now() - t)}`);
  for (const table of ['daily_bars', 'daily_features']) await sql.unsafe(`vacuum analyze ${table}`);
}

/** The bars and `features` loadPanel reads, selected plainly as row objects (no panel built). */
async function plainSelect(sql: Sql, features: readonly string[], from: string, to: string): Promise<number> {
  const t0 = performance.now();
  await sql`
    select b.asset_id, b.date::text as date, b.open, b.high, b.low, b.close, b.volume
      ${features.length ? sql`, ${sql(features as string[])}` : sql``}
    from daily_bars b
    ${features.length ? sql`left join daily_features f on f.asset_id = b.asset_id and f.date = b.date` : sql``}
    where b.date between ${from}::date and ${to}::date`;
  return performance.now() - t0;
}

/** Runs every built-in from the database and prints the table; a failure is reported as missed targets. */
export async function benchBacktestDb(): Promise<BacktestDbVerdict[]> {
  const oneTarget = `sma_cross over the S&P set from the database < ${ONE_TARGET_MS / 1000} s`;
  const allTarget = `every built-in over the S&P set from the database < ${ALL_TARGET_MS / 1000} s`;
  const log = (line: string) => console.log(line);
  let db: Awaited<ReturnType<typeof openCachedDatabase>> | undefined;
  let sql: Sql | undefined;
  try {
    db = await openCachedDatabase({
      dataDir: DATA_DIR,
      database: DATABASE,
      version: DATASET_VERSION,
      log,
      build: (s, url) => prepare(s, url, log),
    });
    sql = connect(db.url, { max: 2 });
    const ctx = createContext({ DATABASE_URL: db.url }, { sql });
    const [range] = await sql<{ from: string; to: string; bars: number; features: number }[]>`
      select min(date)::text as from, max(date)::text as to, count(*)::int as bars,
        (select count(*)::int from daily_features) as features
      from daily_bars`;
    const { from, to } = range!;
    console.log(
      pairs([
        [
          'database',
          `${db.built ? 'built' : 'cached'} in ${ms(db.buildMs)} (${DATA_DIR.replace(`${STATE_DIR}/`, '.stratos/')}; ` +
            'delete it to rebuild)',
        ],
        [
          'dataset',
          `${range!.bars.toLocaleString('en-US')} bars, ${range!.features.toLocaleString('en-US')} feature rows, ${from}..${to}`,
        ],
      ]),
    );
    const rows: Row[] = [];
    const summaries = new Map<string, string>();
    const reports = new Map<string, BacktestReport>();
    const cases = BUILTIN_STRATEGIES.map(({ id }) => ({ id, spec: builtinSpec(id) }));
    // sma_cross first, so its time includes the cold JIT a fresh stage worker meets.
    for (const { id, spec } of cases) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const loaded = await loadPanel(
        sql,
        { spec, universe: UNIVERSE, from, to },
        { benchmarks: ctx.benchmarks },
      );
      const t1 = performance.now();
      const opts = { from: loaded.from, to: loaded.to, cash: CASH, benchmark: loaded.benchmark };
      const report = backtestReport(spec, loaded.panel, opts);
      reports.set(id, report);
      summaries.set(id, JSON.stringify(report.summary));
      const t2 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      const mem = process.memoryUsage();
      backtestReport(spec, loaded.panel, opts);
      rows.push({
        id,
        assets: loaded.panel.nAssets,
        days: loaded.to - loaded.from + 1,
        loadMs: t1 - t0,
        simulateMs: t2 - t1,
        memorySimulateMs: performance.now() - t2,
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssMb: mem.rss / MB,
        heapMb: mem.heapUsed / MB,
      });
    }
    // Every built-in over one panel: the union of their columns loaded once.
    const reads = unionReads(cases.map((c) => strategyReads(c.spec)));
    const s0 = performance.now();
    const shared = await loadPanel(
      sql,
      { spec: cases[0]!.spec, reads, universe: UNIVERSE, from, to },
      { benchmarks: ctx.benchmarks },
    );
    const s1 = performance.now();
    const differing = cases.filter(
      ({ id, spec }) =>
        JSON.stringify(
          backtestReport(spec, shared.panel, {
            from: shared.from,
            to: shared.to,
            cash: CASH,
            benchmark: shared.benchmark,
          }).summary,
        ) !== summaries.get(id),
    );
    const s2 = performance.now();
    const sharedRss = process.memoryUsage().rss / MB;
    // Every built-in on its own again, the loads sharing one ColumnCache.
    const cache = new ColumnCache();
    const c0 = performance.now();
    const cachedDiffer: string[] = [];
    for (const { id, spec } of cases) {
      const loaded = await loadPanel(
        sql,
        { spec, universe: UNIVERSE, from, to },
        { benchmarks: ctx.benchmarks, cache },
      );
      const opts = { from: loaded.from, to: loaded.to, cash: CASH, benchmark: loaded.benchmark };
      if (JSON.stringify(backtestReport(spec, loaded.panel, opts).summary) !== summaries.get(id))
        cachedDiffer.push(id);
    }
    const c1 = performance.now();
    const cachedRss = process.memoryUsage().rss / MB;
    const barsSelectMs = await plainSelect(sql, [], from, to);
    const unionSelectMs = await plainSelect(sql, reads.features, from, to);
    const total = (r: Row) => r.loadMs + r.simulateMs;
    console.log(
      `\n${table(
        [
          'strategy',
          'assets x days',
          'load',
          'simulate',
          'end to end',
          'anchor: in memory',
          'client CPU',
          'RSS',
          'heap',
        ],
        rows.map((r) => [
          r.id,
          `${r.assets} x ${r.days}`,
          ms(r.loadMs),
          ms(r.simulateMs),
          ms(total(r)),
          `${ms(r.memorySimulateMs)} (${ratio(total(r) / r.memorySimulateMs)})`,
          ms(r.cpuMs),
          `${Math.round(r.rssMb)} MB`,
          `${Math.round(r.heapMb)} MB`,
        ]),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      )}`,
    );
    const sma = rows.find((r) => r.id === 'sma_cross')!;
    const separate = rows.reduce((sum, r) => sum + total(r), 0);
    const peakRss = Math.max(sharedRss, cachedRss, ...rows.map((r) => r.rssMb));
    const cell = (x: number | null | undefined, digits = 1, unit = '') =>
      x === null || x === undefined ? '–' : `${x.toFixed(digits)}${unit}`;
    console.log(
      `\nEvery built-in over the S&P set from the database (defaults, ${CASH.toLocaleString('en-US')} cash, no costs):\n${table(
        [
          'strategy',
          'return',
          'CAGR',
          'Sharpe',
          'Sortino',
          'max DD',
          'trades',
          'win',
          'PF',
          'expectancy',
          'exposure',
        ],
        [
          ...cases.map(({ id }) => {
            const m = reports.get(id)!.summary;
            return [
              id,
              cell(m.return_pct, 1, '%'),
              cell(m.cagr_pct, 1, '%'),
              cell(m.sharpe, 2),
              cell(m.sortino, 2),
              cell(m.max_drawdown_pct, 1, '%'),
              m.trades.toLocaleString('en-US'),
              cell(m.win_rate_pct, 1, '%'),
              cell(m.profit_factor, 2),
              cell(m.expectancy_pct, 2, '%'),
              cell(m.exposure_pct, 1, '%'),
            ];
          }),
        ],
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      )}`,
    );
    console.log(
      `\n${pairs([
        [
          'one panel, all built-ins',
          `load ${ms(s1 - s0)} (${reads.features.length} feature columns, ${reads.ranks.length} ranks) + ` +
            `${cases.length} simulations ${ms(s2 - s1)} = ${ms(s2 - s0)}; metrics ` +
            (differing.length
              ? `DIFFER for ${differing.map((c) => c.id).join(', ')}`
              : 'identical to the separate runs'),
        ],
        ['separate, summed', `${ms(separate)} (each strategy loads its own columns)`],
        [
          'separate, one ColumnCache',
          `${ms(c1 - c0)} (each load reads only the columns no earlier one read); metrics ` +
            (cachedDiffer.length
              ? `DIFFER for ${cachedDiffer.join(', ')}`
              : 'identical to the separate runs'),
        ],
        [
          'anchor: plain select',
          `bars as row objects ${ms(barsSelectMs)} (sma_cross load ${ratio(sma.loadMs / barsSelectMs)}); ` +
            `bars joined with the union's features ${ms(unionSelectMs)} (one-panel load ${ratio((s1 - s0) / unionSelectMs)})`,
        ],
      ])}`,
    );
    console.log(
      '\nload: loadPanel (universe, warm-up, bars and the features the spec reads as packed columns, facts,\n' +
        'reviews, panel); simulate: backtestReport (what the backtest stage runs, nothing written). Anchors in the\n' +
        'same run: the same backtestReport again over the panel already in memory (end to end / it), and a plain\n' +
        "select of the same rows as row objects. Client CPU: this process's user + system time for the load\n" +
        "and the simulation (the database server's excluded), what an Edge invocation's CPU limit counts.\n" +
        "RSS and heap right after each strategy's first simulation.",
    );
    return [
      {
        target: oneTarget,
        result: `${ms(total(sma))} (load ${ms(sma.loadMs)}, simulate ${ms(sma.simulateMs)})`,
        pass: total(sma) < ONE_TARGET_MS,
      },
      {
        target: allTarget,
        result:
          `${ms(s2 - s0)} on one panel; ${ms(c1 - c0)} apart with one ColumnCache (${ms(separate)} without); ` +
          `peak RSS ${Math.round(peakRss)} MB` +
          (differing.length || cachedDiffer.length ? '; metrics differ' : ''),
        pass: s2 - s0 < ALL_TARGET_MS && differing.length === 0 && cachedDiffer.length === 0,
      },
    ];
  } catch (err) {
    const result = `n/a (${(err as Error).message.split('\n')[0]})`;
    console.log(result);
    return [
      { target: oneTarget, result, pass: false },
      { target: allTarget, result, pass: false },
    ];
  } finally {
    await sql?.end();
    await db?.server.stop();
  }
}
