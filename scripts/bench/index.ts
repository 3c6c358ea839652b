// `npm run bench [-- --quick]`: our kernels and the features stage against the issue's targets, every peer
// measured in the same run. scripts/bench/setup-talib.sh builds the TA-Lib peers; without them their
// columns read n/a.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { drainBudgetFromEnv } from '../../shared/config.ts';
import { computeFeatures } from '../../shared/features/compute.ts';
import type { FeatureOptions } from '../../shared/features/types.ts';
import { JOB_SHARE } from '../../shared/pipeline/queue.ts';
import { STATE_TAIL_BARS } from '../../shared/stages/features/state.ts';
import { ROOT } from '../local/database.ts';
import { benchApi } from './api.ts';
import { type BackfillPass, type BackfillResult, benchBackfill } from './backfill.ts';
import { benchBacktestDb } from './backtest-db.ts';
import { type Comparison, compareIndicators, type IndicatorRow, type PeerResult } from './compare.ts';
import {
  BENCHMARK_SYMBOL,
  type Dataset,
  everyNth,
  loadBenchmark,
  loadSp500,
  SP500_CSV,
  tradingCalendar,
} from './data.ts';
import { benchEngine } from './engine.ts';
import { benchImport } from './import.ts';
import { benchStageJobs } from './jobs.ts';
import { benchLedger } from './ledger.ts';
import { benchLive } from './live.ts';
import { calibrationMs, type Outcome, timings } from './measure.ts';
import { benchNews } from './news.ts';
import { benchPortfolio } from './portfolio.ts';
import { type Align, diff, ms, num, pairs, ratio, table, verdict } from './report.ts';
import { benchSearch } from './search.ts';
import { benchSentiment } from './sentiment.ts';
import { benchSignals } from './signals.ts';
import { benchFeaturesStage, type JobStat, type StageResult } from './stage.ts';

const CATALOGUE_BUDGET_MS = 1000;
const API_SECTION =
  '5. control-api GET /assets under load: 5,000 assets x 2 years, over HTTP (scripts/bench/api.ts)';
const EDGE_CPU_MS = 2000;
const BACKFILL_TARGET_MS = 20_000;
const DAILY_TARGET_MS = 8_000;

/** The sections `--only` selects, in the order they run. */
const SECTIONS = [
  'stage',
  'backfill',
  'indicators',
  'catalogue',
  'signals',
  'import',
  'api',
  'jobs',
  'engine',
  'backtest-db',
  'portfolio',
  'ledger',
  'sentiment',
  'news',
  'search',
  'live',
] as const;
type Section = (typeof SECTIONS)[number];

const PLANS = {
  full: {
    tickerStep: 1,
    runs: { ours: 20, ti: 3, talib: 3, c: 20 },
    sampleSize: 12,
    catalogueRuns: 7,
    copies: 10,
  },
  quick: {
    tickerStep: 5,
    runs: { ours: 5, ti: 1, talib: 1, c: 5 },
    sampleSize: 6,
    catalogueRuns: 3,
    copies: 5,
  },
};

/** One line of the closing summary. */
interface Verdict {
  target: string;
  result: string;
  pass: boolean;
  detail?: string;
}

/** How each peer's column is judged: the ratio shown and the target it must meet. */
interface PeerColumn {
  peer: 'ti' | 'talib' | 'c';
  name: string;
  ratioName: string;
  targetName: string;
  target: string;
  ratio: (peerNs: number, oursNs: number) => number;
  meets: (ratio: number) => boolean;
}

const PEER_COLUMNS: readonly PeerColumn[] = [
  {
    peer: 'ti',
    name: 'techind',
    ratioName: 'TI/ours',
    targetName: '>=20x',
    target: '>= 20x faster than technicalindicators',
    ratio: (peer, ours) => peer / ours,
    meets: (r) => r >= 20,
  },
  {
    peer: 'talib',
    name: 'talib.node',
    ratioName: 'node/ours',
    targetName: '>1x',
    target: 'faster than TA-Lib through the talib binding',
    ratio: (peer, ours) => peer / ours,
    meets: (r) => r > 1,
  },
  {
    peer: 'c',
    name: 'TA-Lib C',
    ratioName: 'ours/C',
    targetName: '<=2x',
    target: 'within 2x of TA-Lib C, per indicator',
    ratio: (peer, ours) => ours / peer,
    meets: (r) => r <= 2,
  },
];

/** PASS/MISS, or no verdict: the peer is missing (n/a) or computes something else (≠). */
type Judgement = boolean | 'n/a' | '≠';

function judge(col: PeerColumn, row: IndicatorRow): { cells: string[]; judgement: Judgement } {
  const p = row[col.peer];
  if (!p.ns.ok) return { cells: ['n/a', '', 'n/a'], judgement: 'n/a' };
  const r = col.ratio(p.ns.value, row.ours);
  const judgement = p.diff.ok && p.diff.value <= p.tolerance ? col.meets(r) : '≠';
  const shown = typeof judgement === 'boolean' ? verdict(judgement) : judgement;
  return { cells: [num(p.ns.value), ratio(r), shown], judgement };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'group-budget-s': { type: 'string' },
    },
  });
  const mode = values.quick ? 'quick' : 'full';
  // `--only stage,backfill`: run the named sections alone (every section when absent).
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((s) => !SECTIONS.includes(s as Section));
  if (unknown?.length) {
    console.error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
    process.exit(2);
  }
  const selected = (s: Section) => !only || only.includes(s);
  const plan = PLANS[mode];
  if (!existsSync(SP500_CSV)) {
    console.log(
      `${relative(ROOT, SP500_CSV)} not found (the real data lives in ../shared/data): ` +
        'only the API bench runs, on generated data',
    );
    section(API_SECTION);
    const api = await benchApi({ quick: values.quick });
    console.log(
      `\n${table(
        ['target', 'result', ''],
        api.map((v) => [v.target, v.result, verdict(v.pass)]),
        ['left', 'left', 'left'],
      )}`,
    );
    return;
  }
  const started = performance.now();
  const cpu = cpus();
  console.log(
    `Stratos bench (${mode}): node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'} x${cpu.length}, ` +
      `load average ${loadavg()[0]!.toFixed(2)} at the start (other processes share these cores)`,
  );
  console.log(`calibration: 10M-step float loop on one core, best of 5: ${ms(calibrationMs())}`);

  const all = loadSp500();
  const data = everyNth(all, plan.tickerStep);
  console.log(
    `${relative(ROOT, SP500_CSV)}: ${all.bars.toLocaleString('en-US')} bars, ${all.tickers.length} tickers ` +
      `(${all.rejected} rows refused by parseBarsCsv); read ${ms(all.readMs)}, parse ${ms(all.parseMs)}, ` +
      'neither counted in any timing',
  );
  if (data !== all) {
    console.log(`quick: every ${plan.tickerStep}th ticker, ${data.bars.toLocaleString('en-US')} bars`);
  }

  const verdicts: Verdict[] = [];
  // The stage goes first so that its first job meets a cold JIT, as a freshly started Edge worker does.
  if (selected('stage')) {
    section('1. Features stage end to end: embedded PostgreSQL, daily mode, through the queue');
    verdicts.push(...printStage(await benchFeaturesStage(data, plan.copies)));
  }

  if (selected('backfill')) {
    section(
      '1b. Feature backfill of the S&P set: embedded PostgreSQL, every date, through the queue (scripts/bench/backfill.ts)',
    );
    verdicts.push(printBackfill(await benchBackfill(data)));
  }

  const { runs: rounds } = plan;
  if (selected('indicators')) {
    section(
      `2. Shared indicators: ns per bar over ${data.tickers.length} series, best of ${rounds.ours} rounds ` +
        `(talib.node ${rounds.talib}, technicalindicators ${rounds.ti}, TA-Lib C ${rounds.c})`,
    );
    verdicts.push(...printComparison(await compareIndicators(data, plan)));
  }

  if (selected('catalogue')) {
    section('3. Feature catalogue in memory, single thread');
    verdicts.push(printCatalogue(data, all, plan.catalogueRuns));
  }

  if (selected('signals')) {
    section(
      '4. Signals stage end to end: embedded PostgreSQL, 5,000 assets x 1 day and 500 assets x 5 years',
    );
    verdicts.push(...(await benchSignals(all)));
  }

  if (selected('import')) {
    section(
      '4b. import-csv of the S&P file against a plain COPY of it, same embedded PostgreSQL (scripts/bench/import.ts)',
    );
    verdicts.push(...(await benchImport()));
  }

  if (selected('api')) {
    section(API_SECTION);
    verdicts.push(...(await benchApi({ quick: values.quick })));
  }

  if (selected('jobs')) {
    section(
      'Stage jobs: one job of each stage on a 5,000-asset equity day: CPU against JOB_SHARE (scripts/bench/jobs.ts)',
    );
    verdicts.push(...(await benchStageJobs()));
  }

  if (selected('engine')) {
    section(
      'Strategy engine: the simulator against a plain typed-array loop, every built-in over the S&P set (scripts/bench/engine.ts)',
    );
    verdicts.push(...benchEngine(all, { quick: values.quick }));
  }

  if (selected('backtest-db')) {
    section(
      'Backtests from the database: every built-in over the imported S&P set, load + simulate (scripts/bench/backtest-db.ts)',
    );
    verdicts.push(...(await benchBacktestDb()));
  }

  if (selected('portfolio')) {
    section(
      'Portfolio decision math: 500 assets → composite score → top-20 targets → delta trades, against a plain loop (scripts/bench/portfolio.ts)',
    );
    verdicts.push(...benchPortfolio(all, { quick: values.quick }));
  }

  if (selected('ledger')) {
    section(
      'Paper ledger: fills over the S&P set with fees, slippage and partial fills, every check, against an unchecked loop; the paper broker end to end (scripts/bench/ledger.ts)',
    );
    verdicts.push(...benchLedger(all, { quick: values.quick }));
  }

  if (selected('sentiment')) {
    section(
      'News sentiment: the finance lexicon over 10,000 headlines, the LLM scorer over 1,000 articles against a ~2 s fake (scripts/bench/sentiment.ts)',
    );
    verdicts.push(...(await benchSentiment()));
  }

  if (selected('news')) {
    section(
      'News data: deduplication of a fake feed with 30% cross-provider copies, FNSPID-format import (scripts/bench/news.ts)',
    );
    verdicts.push(...(await benchNews()));
  }

  if (selected('search')) {
    section(
      'Weekly strategy search: TPE over 10 screening algorithms on 1,000 tickers × 5 days of the S&P set, pruning and group discovery, against plain loops (scripts/bench/search.ts)',
    );
    const groupBudget = values['group-budget-s'];
    verdicts.push(
      ...(await benchSearch(all, {
        quick: values.quick,
        ...(groupBudget ? { groupBudgetS: Number(groupBudget) } : {}),
      })),
    );
  }

  if (selected('live')) {
    section(
      'Live event stream: NDJSON through the decision path, Redis XADD → decision latency, memory over 1,000,000 events (scripts/bench/live.ts)',
    );
    verdicts.push(...(await benchLive({ quick: values.quick })));
  }

  section('Targets');
  console.log(
    table(
      ['target', 'result', ''],
      verdicts.map((v) => [v.target, v.result, verdict(v.pass)]),
      ['left', 'left', 'left'],
    ),
  );
  for (const v of verdicts) if (v.detail) console.log(`  ${v.target}: ${v.detail}`);
  console.log(`\nbench took ${ms(performance.now() - started)}`);
}

function section(title: string): void {
  console.log(`\n${title}\n`);
}

/** The value at quantile `q` of `values` sorted ascending. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function printStage(outcome: Outcome<StageResult>): Verdict[] {
  const jobBudgetMs = JOB_SHARE * drainBudgetFromEnv(process.env).cpuMs;
  const runTarget = `features daily run, 5,000 assets x 2 years < ${DAILY_TARGET_MS / 1000} s`;
  const jobTarget = `features job CPU <= ${ms(jobBudgetMs)} (JOB_SHARE of STRATOS_DRAIN_CPU_MS), warm jobs`;
  const drainTarget = `one drain request's CPU < ${EDGE_CPU_MS / 1000} s (not in the issue)`;
  if (!outcome.ok) {
    console.log(`n/a: ${outcome.reason}`);
    const result = `n/a (${outcome.reason})`;
    return [
      { target: runTarget, result, pass: false },
      { target: jobTarget, result, pass: false },
      { target: drainTarget, result, pass: false },
    ];
  }
  const r = outcome.value;
  const stat = (key: keyof Omit<JobStat, 'id'>) => {
    const v = r.jobs.map((j) => j[key]);
    return `max ${ms(quantile(v, 1))}, p95 ${ms(quantile(v, 0.95))}, p50 ${ms(quantile(v, 0.5))}`;
  };
  const warm = r.jobs.slice(1).map((j) => j.cpuMs);
  const warmMax = Math.max(0, ...warm);
  console.log(
    pairs([
      ['database start + migrations', ms(r.setupMs)],
      [
        'universe',
        `${r.assets.toLocaleString('en-US')} equity assets (with SPY), ${r.bars.toLocaleString('en-US')} bars`,
      ],
      ['load (COPY + analyze)', ms(r.loadMs)],
      [
        `features run ${r.date}`,
        `${r.jobs.length} jobs, ${ms(r.wallMs)} wall, ${num((r.assets * 1000) / r.wallMs)} assets/s, ` +
          `${r.status}, ${r.featureRows.toLocaleString('en-US')} feature rows`,
      ],
      [
        'the same, two drain loops',
        `${ms(r.twoLoopsWallMs)} wall (as \`stratos features\` and the local worker drain)`,
      ],
      [
        'stored kernel state',
        `${r.resumedAssets.toLocaleString('en-US')} of ${r.assets.toLocaleString('en-US')} assets resumed from the previous ` +
          `day's state on their last ${STATE_TAIL_BARS} bars; that previous day without state (full histories): ` +
          `${ms(r.coldWallMs)} wall, ${r.coldJobs} jobs`,
      ],
      [
        'anchor: computeFeatures in memory',
        `${ms(r.computeMs)} for the same assets' bars (one loop takes ${ratio(r.wallMs / r.computeMs)} that, ` +
          `two loops ${ratio(r.twoLoopsWallMs / r.computeMs)})`,
      ],
      [
        'anchor: catalogue CPU',
        `${ms(r.computeCpuMs)} from each first bar; ${ms(r.dailyComputeCpuMs)} ` +
          `(${ratio(r.dailyComputeCpuMs / r.computeCpuMs)}) as a daily run computes (window-local kernels over ` +
          `the day's windows only); the jobs' CPU in all ${ms(r.jobs.reduce((n, j) => n + j.cpuMs, 0))}`,
      ],
      ['job CPU', `${stat('cpuMs')}; the first job (cold JIT) ${ms(r.jobs[0]!.cpuMs)}`],
      ['job wall', stat('wallMs')],
      [
        'one drain request',
        `${ms(r.drainRequestCpuMs)} CPU: the busiest run of jobs one request takes on (STRATOS_DRAIN_CPU_MS)`,
      ],
    ]),
  );
  console.log(
    '\nJob figures: the one-loop run, job after job. CPU: this process around processJob (reading bars, computing, writing rows),\n' +
      'not the PostgreSQL server. Supabase counts the 2 s per request; a drain request starts no job that its CPU\n' +
      'budget could not absorb.',
  );
  const succeeded = r.status === 'succeeded';
  return [
    {
      target: runTarget,
      result:
        `${ms(r.wallMs)} with one drain loop (${ms(r.twoLoopsWallMs)} with two); ${r.jobs.length} jobs, ` +
        `${r.assets.toLocaleString('en-US')} assets; in-memory compute ${ms(r.computeMs)}`,
      pass: succeeded && r.assets >= 5000 && r.wallMs < DAILY_TARGET_MS,
    },
    {
      target: jobTarget,
      result: `p50 ${ms(quantile(warm, 0.5))}, max ${ms(warmMax)}; cold first job ${ms(r.jobs[0]!.cpuMs)}`,
      pass: succeeded && warmMax <= jobBudgetMs,
    },
    {
      target: drainTarget,
      result: ms(r.drainRequestCpuMs),
      pass: succeeded && r.drainRequestCpuMs < EDGE_CPU_MS,
    },
  ];
}

function printBackfill(outcome: Outcome<BackfillResult>): Verdict {
  const target = `feature backfill of the S&P set < ${BACKFILL_TARGET_MS / 1000} s`;
  if (!outcome.ok) {
    console.log(`n/a: ${outcome.reason}`);
    return { target, result: `n/a (${outcome.reason})`, pass: false };
  }
  const r = outcome.value;
  const passLine = (p: BackfillPass) =>
    `${ms(p.wallMs)} wall (${ratio(p.wallMs / r.computeMs)} the in-memory compute, ` +
    `${ratio(p.wallMs / r.plainCopyMs)} the plain COPY), ${p.jobs} jobs, ${ms(p.cpuMs)} CPU in this process`;
  console.log(
    pairs([
      ['database start + migrations', ms(r.setupMs)],
      [
        'universe',
        `${r.assets.toLocaleString('en-US')} equity assets (with SPY), ${r.bars.toLocaleString('en-US')} bars, ` +
          `loaded in ${ms(r.loadMs)}`,
      ],
      [`features --from ${r.from} --date ${r.to}`, passLine(r.first)],
      ['the same again (nothing changed)', passLine(r.again)],
      ['daily_features rows', r.rows.toLocaleString('en-US')],
      ['anchor: computeFeatures in memory', `${ms(r.computeMs)} for the same ${r.assets} assets`],
      [
        'anchor: plain COPY',
        `${ms(r.plainCopyMs)} for the same rows into a table without keys or triggers (binary, 50 assets a COPY)`,
      ],
    ]),
  );
  console.log(
    '\nWall: triggering the run (which plans the universe ranks) until its last job is done, two drain loops as the CLI runs them.',
  );
  return { target, result: ms(r.first.wallMs), pass: r.first.wallMs < BACKFILL_TARGET_MS };
}

function printComparison(cmp: Comparison): Verdict[] {
  const judged = cmp.rows.map((row) => PEER_COLUMNS.map((col) => judge(col, row)));
  const header = ['indicator', 'ours', ...PEER_COLUMNS.flatMap((c) => [c.name, c.ratioName, c.targetName])];
  const align: Align[] = [
    'left',
    'right',
    ...PEER_COLUMNS.flatMap((): Align[] => ['right', 'right', 'left']),
  ];
  console.log(
    table(
      header,
      cmp.rows.map((row, i) => [row.case.label, num(row.ours), ...judged[i]!.flatMap((j) => j.cells)]),
      align,
    ),
  );

  console.log(
    `\nAgreement with ours: largest relative difference on ${cmp.sampled} sampled series. TA-Lib: every bar ` +
      `from its first output, which must be our first; technicalindicators: from its ${cmp.tiSettleBars}th ` +
      'output on (its seeds differ).\n',
  );
  const agreement = (p: PeerResult) => {
    if (!p.diff.ok) return 'n/a';
    return p.diff.value <= p.tolerance ? diff(p.diff.value) : `${diff(p.diff.value)} ≠`;
  };
  console.log(
    table(
      ['indicator', ...PEER_COLUMNS.map((c) => c.name)],
      cmp.rows.map((row) => [row.case.label, ...PEER_COLUMNS.map((c) => agreement(row[c.peer]))]),
      ['left', 'right', 'right', 'right'],
    ),
  );
  console.log(
    `\n${notes(cmp)
      .map((n) => `  ${n}`)
      .join('\n')}`,
  );

  return PEER_COLUMNS.map((col, c) => {
    const verdicts = judged.map((j) => j[c]!.judgement);
    const scored = verdicts.filter((v) => typeof v === 'boolean');
    const passed = scored.filter((v) => v === true).length;
    const misses = cmp.rows.filter((_, i) => verdicts[i] === false).map((row) => row.case.label);
    const unjudged = verdicts.length - scored.length;
    return {
      target: col.target,
      result: `${passed}/${scored.length} indicators${unjudged > 0 ? ` (+${unjudged} n/a or ≠)` : ''}`,
      pass: scored.length > 0 && passed === scored.length,
      ...(misses.length > 0 ? { detail: `misses ${misses.join(', ')}` } : {}),
    };
  });
}

/** What the marks in the tables mean: differing definitions, extra work, missing peers. */
function notes(cmp: Comparison): string[] {
  const out = ['≠: not the same computation, so no verdict'];
  for (const row of cmp.rows) {
    if (row.case.ti?.note) out.push(`technicalindicators ${row.case.label}: ${row.case.ti.note}`);
    if (row.case.extra) out.push(`${row.case.label}: ${row.case.extra} in the same time`);
  }
  const missing = new Map<string, string[]>();
  for (const row of cmp.rows) {
    for (const col of PEER_COLUMNS) {
      const p = row[col.peer];
      if (p.ns.ok) continue;
      const key = `${col.name}: ${p.ns.reason}`;
      missing.set(key, [...(missing.get(key) ?? []), row.case.label]);
    }
  }
  for (const [reason, labels] of missing) {
    out.push(`n/a ${reason} (${labels.length === cmp.rows.length ? 'every indicator' : labels.join(', ')})`);
  }
  return out;
}

function printCatalogue(data: Dataset, all: Dataset, runs: number): Verdict {
  const calendar = tradingCalendar(all);
  const benchmark = loadBenchmark(calendar[0]!, calendar[calendar.length - 1]!);
  const opts: FeatureOptions = { periodsPerYear: 252, benchmark };
  const features = Object.keys(computeFeatures(data.tickers[0]!.series, opts)).length;
  const t = timings(runs, () => {
    for (const { series } of data.tickers) computeFeatures(series, opts);
  });
  const nsPerBar = (t.best * 1e6) / data.bars;
  const projected = (nsPerBar * all.bars) / 1e6;
  const full = data.bars === all.bars;
  const lines: [string, string][] = [
    [
      'computeFeatures',
      `${features} features over ${data.tickers.length} series, ${data.bars.toLocaleString('en-US')} bars, ` +
        `${BENCHMARK_SYMBOL} as the benchmark`,
    ],
    ['time', `best ${ms(t.best)}, median ${ms(t.median)} of ${runs} passes: ${num(nsPerBar)} ns per bar`],
  ];
  if (!full)
    lines.push(['full set', `${ms(projected)} projected for ${all.bars.toLocaleString('en-US')} bars`]);
  console.log(pairs(lines));
  return {
    target: `feature catalogue over the S&P set < ${CATALOGUE_BUDGET_MS / 1000} s`,
    result: full ? ms(t.best) : `${ms(projected)} (projected)`,
    pass: projected < CATALOGUE_BUDGET_MS,
  };
}

await main();
