// The strategy engine over the real S&P set (../shared/data): `npm run bench -- --only engine`, or alone
// `npx tsx scripts/bench/engine.ts [--quick]`. First a multi-exit strategy (ATR stop, two partial targets,
// armed trailing stop, time stop, reverse, ranking, fees and slippage): the simulation loop (step + decide
// per day) against a plain typed-array loop over the same panel doing the core of the same work (the same
// entry bytes, stop, target and trail checks, marking), measured in the same run. Then every built-in
// strategy over the whole set with its metrics, time and memory, against buy-and-hold of SPY.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runBacktest } from '../../shared/engine/backtest.ts';
import { compileStrategy, decide } from '../../shared/engine/decide.ts';
import { strategyReads } from '../../shared/engine/load.ts';
import { computeMetrics, type Metrics } from '../../shared/engine/metrics.ts';
import { type AssetSeries, panelFromSeries } from '../../shared/engine/panel.ts';
import { createState, NO_DECISIONS, step } from '../../shared/engine/step.ts';
import { computeFeatures } from '../../shared/features/compute.ts';
import { atr } from '../../shared/indicators/atr/index.ts';
import { rsi } from '../../shared/indicators/rsi/index.ts';
import { sma } from '../../shared/indicators/sma/index.ts';
import { BUILTIN_STRATEGIES, builtinSpec } from '../../shared/strategy/builtins/index.ts';
import { multiExitSpec } from '../../test/support/strategies.ts';
import { type Dataset, everyNth, loadBenchmark, loadSp500, SP500_CSV } from './data.ts';
import { bestOfRounds } from './measure.ts';
import { ms, num, ratio, table } from './report.ts';

/** One line of the closing summary. */
export interface EngineVerdict {
  target: string;
  result: string;
  pass: boolean;
}

const TARGET_CELLS_PER_S = 10e6;
/** The targets for every built-in over the S&P set (here from memory, the database load aside). */
const ALL_BUILTINS_TARGET_MS = 10_000;

const SPEC = multiExitSpec(
  { max_new_per_day: 10, max_positions: 50 },
  {
    id: 'bench_multi_exit',
    name: 'Bench multi-exit',
    description:
      'SMA 5/20 crosses both ways, ATR stop, two targets, armed trailing stop, time stop, reverse.',
    sizing: { mode: 'equal' },
  },
);

/** The multi-exit strategy's simulation against the plain loop; prints its table. */
function benchSimulator(data: Dataset, runs: number): EngineVerdict {
  let t = performance.now();
  const series: AssetSeries[] = data.tickers.map(({ symbol, series: bars }) => ({
    symbol,
    assetType: 'equity',
    ...bars,
    features: {
      sma_5: sma(bars.close, 5),
      sma_20: sma(bars.close, 20),
      rsi_14: rsi(bars.close, 14),
      atr_14: atr(bars.high, bars.low, bars.close, 14),
    },
  }));
  const featuresMs = performance.now() - t;
  t = performance.now();
  const panel = panelFromSeries(series, { features: ['sma_5', 'sma_20', 'rsi_14', 'atr_14'] });
  const panelMs = performance.now() - t;
  const cells = panel.nAssets * panel.nDays;
  t = performance.now();
  const compiled = compileStrategy(SPEC, panel);
  const compileMs = performance.now() - t;

  let fills = 0;
  let trades = 0;
  let equity: Float64Array = new Float64Array(0);
  function simulate(): void {
    const state = createState(SPEC, panel, 1_000_000);
    equity = new Float64Array(panel.nDays + 1);
    equity[0] = 1_000_000;
    let pending = NO_DECISIONS;
    for (let d = 0; d < panel.nDays; d++) {
      step(state, panel, d, pending);
      equity[d + 1] = state.equity;
      pending = decide(compiled, state, panel, d);
    }
    fills = state.fills.length;
    trades = state.trades.length;
  }

  /** The anchor: one unit per entry byte, the same stop / target / trailing checks and marking, no bookkeeping. */
  let anchorSink = 0;
  function plainLoop(): void {
    const { nDays, nAssets, open, high, low, close } = panel;
    const entries = compiled.long!.holds;
    const atr14 = panel.features.get('atr_14')!;
    const qty = new Float64Array(nAssets);
    const entry = new Float64Array(nAssets);
    const stop = new Float64Array(nAssets);
    const best = new Float64Array(nAssets);
    let cash = 0;
    for (let d = 1; d < nDays; d++) {
      let value = 0;
      for (let a = 0; a < nAssets; a++) {
        const i = a * nDays + d;
        const o = open[i]!;
        if (qty[a] === 0) {
          if (entries[i - 1] === 1 && o > 0) {
            qty[a] = 1;
            entry[a] = o;
            stop[a] = o - 2 * atr14[i - 1]!;
            best[a] = o;
            cash -= o;
          }
          continue;
        }
        const h = high[i]!;
        const l = low[i]!;
        let exit = o <= stop[a]! ? o : l <= stop[a]! ? stop[a]! : Number.NaN;
        if (Number.isNaN(exit) && h >= entry[a]! * 1.08) exit = entry[a]! * 1.08;
        const trail = best[a]! * 0.95;
        if (Number.isNaN(exit) && best[a]! >= entry[a]! * 1.02 && l <= trail) exit = Math.min(o, trail);
        if (!Number.isNaN(exit)) {
          cash += exit;
          qty[a] = 0;
          continue;
        }
        if (h > best[a]!) best[a] = h;
        if (!Number.isNaN(close[i]!)) value += close[i]!;
      }
      anchorSink += cash + value;
    }
  }

  // Interleaved rounds, so a burst of load from other processes hits both loops alike.
  const [oursBest, anchorBest] = bestOfRounds([simulate, plainLoop], runs) as [number, number];

  const rate = (msPerRun: number) => cells / (msPerRun / 1000);
  const metrics = computeMetrics({ equity, periodsPerYear: 252 });
  console.log(
    `Strategy engine on ${panel.nAssets} assets × ${panel.nDays} days (${num(cells)} asset-days), best of ${runs}; load average ${loadavg()[0]!.toFixed(1)}\n`,
  );
  console.log(
    table(
      ['step', 'best', 'asset-days/s', 'vs plain loop'],
      [
        ['features (kernels)', ms(featuresMs), '', ''],
        ['panelFromSeries', ms(panelMs), '', ''],
        ['compileStrategy (conditions per cell, once)', ms(compileMs), num(rate(compileMs)), ''],
        ['simulate (step + decide per day)', ms(oursBest), num(rate(oursBest)), ratio(oursBest / anchorBest)],
        ['plain typed-array loop (anchor)', ms(anchorBest), num(rate(anchorBest)), '1.00x'],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  );
  const memory = process.memoryUsage();
  console.log(
    `\nfills ${fills}, closed trades ${trades}, Sharpe ${metrics.sharpe.toFixed(2)}, max drawdown ${(metrics.max_drawdown * 100).toFixed(1)}%`,
  );
  console.log(
    `memory: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(`anchor checksum ${anchorSink.toExponential(3)}`);
  return {
    target: `simulator >= ${num(TARGET_CELLS_PER_S)} asset-days/s (multi-exit strategy, one core)`,
    result: `${num(rate(oursBest))} asset-days/s, ${ratio(oursBest / anchorBest)} the plain typed-array loop`,
    pass: rate(oursBest) >= TARGET_CELLS_PER_S,
  };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');
const count = (x: number) => x.toLocaleString('en-US');
const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : x === Infinity ? 'inf' : '-');

/** Every built-in with its defaults over the whole set, from memory: metrics, time and memory; prints its table. */
function benchBuiltins(data: Dataset): EngineVerdict {
  const reads = new Set(BUILTIN_STRATEGIES.flatMap((b) => strategyReads(builtinSpec(b.id)).features));
  const features = [...reads].sort();
  let t = performance.now();
  const series: AssetSeries[] = data.tickers.map(({ symbol, series: bars }) => {
    const all = computeFeatures(bars, { periodsPerYear: 252 }) as Record<string, Float64Array>;
    return {
      symbol,
      assetType: 'equity',
      ...bars,
      features: Object.fromEntries(features.map((f) => [f, all[f]!])),
    };
  });
  const featuresMs = performance.now() - t;
  t = performance.now();
  const panel = panelFromSeries(series, { features });
  const panelMs = performance.now() - t;
  const spy = loadBenchmark(panel.dates[0]!, panel.dates[panel.nDays - 1]!);
  const spyMetrics = computeMetrics({
    equity: spy.close,
    periodsPerYear: 252,
    invested: new Uint8Array(spy.close.length - 1).fill(1),
  });
  const row = (name: string, m: Metrics, time: string, extra: string) => [
    name,
    pct(m.total_return),
    pct(m.cagr),
    fixed(m.sharpe),
    fixed(m.sortino),
    pct(m.max_drawdown),
    count(m.trades),
    pct(m.win_rate),
    fixed(m.profit_factor),
    pct(m.expectancy),
    pct(m.exposure),
    time,
    extra,
  ];
  const rows: string[][] = [];
  let totalMs = 0;
  for (const b of BUILTIN_STRATEGIES) {
    const spec = builtinSpec(b.id);
    const started = performance.now();
    const r = runBacktest(spec, panel, { cash: 1_000_000 });
    const took = performance.now() - started;
    totalMs += took;
    rows.push(
      row(b.id, r.metrics, ms(took), `${count(r.fills.length)} fills, ${count(r.refusals.length)} refused`),
    );
  }
  rows.push(row('buy-and-hold SPY', spyMetrics, '', 'benchmark'));
  const memory = process.memoryUsage();
  console.log(
    `\nEvery built-in (defaults, 1,000,000 cash, no costs unless the spec sets them) over ${panel.nAssets} assets × ${panel.nDays} days; features of ${features.length} columns ${ms(featuresMs)}, panel ${ms(panelMs)} (once for all)\n`,
  );
  console.log(
    table(
      [
        'strategy',
        'return',
        'CAGR',
        'Sharpe',
        'Sortino',
        'max DD',
        'trades',
        'win rate',
        'PF',
        'expectancy',
        'exposure',
        'time',
        '',
      ],
      rows,
      [
        'left',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'right',
        'left',
      ],
    ),
  );
  console.log(
    `memory after: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`,
  );
  // The features are daily_features columns in the product (computed once by the pipeline, not per
  // backtest), so the target counts the panel and the runs; their computation here is shown beside it.
  return {
    target: `every built-in over the S&P set < ${ms(ALL_BUILTINS_TARGET_MS)} (panel from memory + runs)`,
    result: `${ms(totalMs)} for ${BUILTIN_STRATEGIES.length} strategies + panel ${ms(panelMs)} (features computed here ${ms(featuresMs)}, stored in the product)`,
    pass: totalMs + panelMs < ALL_BUILTINS_TARGET_MS,
  };
}

/** The engine section of `npm run bench`: the simulator against its anchor, then every built-in. */
export function benchEngine(data: Dataset, opts: { quick: boolean }): EngineVerdict[] {
  const sim = benchSimulator(everyNth(data, opts.quick ? 5 : 1), opts.quick ? 3 : 7);
  return [sim, benchBuiltins(data)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  if (!existsSync(SP500_CSV)) {
    console.log(`${SP500_CSV} is missing: the engine bench needs ../shared/data.`);
    process.exit(0);
  }
  for (const v of benchEngine(loadSp500(), { quick: args.quick }))
    console.log(`${v.pass ? 'PASS' : 'MISS'}  ${v.target}: ${v.result}`);
}
