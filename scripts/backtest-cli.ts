// `stratos strategies` and `stratos backtest`: the strategy store and the engine from the command line.
import { readFileSync } from 'node:fs';
import { backtestDetail, resolveWalkForward, startBacktest } from '../shared/api/backtests.ts';
import { BacktestRequest } from '../shared/api/contracts/backtests.ts';
import { todayUtc } from '../shared/calendar/index.ts';
import type { AssetType, RawBar } from '../shared/domain/market.ts';
import { benchmarkIndex, simulatedDays, strategyReads } from '../shared/engine/load.ts';
import { buildPanel, type PanelRow } from '../shared/engine/panel.ts';
import { type BacktestReport, backtestReport } from '../shared/engine/report.ts';
import { type WalkForwardReport, walkForwardReport } from '../shared/engine/walk-forward-report.ts';
import { AppError, errorMessage, formatIssues } from '../shared/errors/index.ts';
import { computeFeatures } from '../shared/features/compute.ts';
import { percentRanks, seriesBySymbol } from '../shared/features/csv.ts';
import { returns } from '../shared/features/define.ts';
import { isSentimentInput } from '../shared/news/sentiment/inputs.ts';
import { parseBarsCsv } from '../shared/providers/csv/parse.ts';
import { screenBars } from '../shared/quality/screen.ts';
import { evaluateAll } from '../shared/signals/evaluate.ts';
import { templateInputs, templateRanks } from '../shared/signals/inputs.ts';
import type { SignalTemplate } from '../shared/signals/schema.ts';
import { BUILTIN_TEMPLATES } from '../shared/signals/templates/index.ts';
import {
  BUILTIN_STRATEGIES,
  type BuiltinParameter,
  builtinParameters,
  builtinSpec,
} from '../shared/strategy/builtins/index.ts';
import { parseStrategy, type StrategySpec } from '../shared/strategy/spec.ts';
import { getStrategy, listStrategies, validateStrategy } from '../shared/strategy/store.ts';
import { drainUntilIdle, type Session } from './local/session.ts';

type Values = Record<string, string | boolean | undefined>;

const usage = (message: string) => new AppError('invalid_input', message, { retryable: false });

/** `--set key=value` pairs as numbers; anything else is a usage error. */
export function parseSets(pairs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const m = /^([a-z][a-z0-9_]*)=(.+)$/.exec(pair);
    const value = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(value)) throw usage(`--set expects key=number, got "${pair}"`);
    out[m[1]!] = value;
  }
  return out;
}

const readJson = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw usage(`${file}: ${(err as Error).message}`);
  }
};

/** A parameter's default and range as one cell: `default 10, integer in [2, 400]`. */
function parameterRange(p: BuiltinParameter): string {
  const lo = p.min === null ? '(-inf' : `${p.min_exclusive ? '(' : '['}${p.min}`;
  const hi = p.max === null ? 'inf)' : `${p.max}${p.max_exclusive ? ')' : ']'}`;
  return `default ${p.default}, ${p.integer ? 'integer' : 'number'} in ${lo}, ${hi}`;
}

/** `stratos strategies list|show ID|validate FILE`. */
export async function strategiesCommand(
  values: Values,
  positionals: string[],
  withSession: <T>(fn: (s: Session) => Promise<T>) => Promise<T>,
): Promise<number> {
  const [action, arg] = positionals;
  const json = values.json === true;
  if (action === 'list')
    return withSession(async (s) => {
      const items = await listStrategies(s.ctx.sql);
      if (json) console.log(JSON.stringify({ items }));
      else
        for (const x of items)
          console.log(`${x.id.padEnd(24)} v${x.version}  ${x.name.padEnd(16)} ${x.description}`);
      return 0;
    });
  if (action === 'show' && arg)
    return withSession(async (s) => {
      const detail = await getStrategy(s.ctx.sql, arg);
      const latest = detail.versions[0]!;
      console.log(JSON.stringify(json ? detail : latest.spec, null, json ? 0 : 2));
      if (!json && latest.parameters.length > 0) {
        console.log('parameters (--set name=value):');
        for (const p of latest.parameters)
          console.log(`  ${p.name.padEnd(14)} ${parameterRange(p)}  ${p.description}`);
      }
      return 0;
    });
  if (action === 'validate' && arg) {
    const spec = readJson(arg);
    return withSession(async (s) => {
      const res = await validateStrategy(s.ctx.sql, spec);
      if (json) console.log(JSON.stringify(res));
      else if (res.valid) console.log(`${arg}: valid, would be stored as ${res.name}`);
      else for (const i of res.issues) console.error(`${arg}: ${i.path || '(root)'}: ${i.message}`);
      return res.valid ? 0 : 2;
    });
  }
  throw usage('expected list, show ID or validate FILE');
}

/** The spec of `--strategy` without a database: a built-in id (with `--set`) or a JSON spec file. */
function specWithoutDatabase(strategy: string, sets: Record<string, number>): StrategySpec {
  if (strategy.endsWith('.json')) {
    if (Object.keys(sets).length) throw usage('--set applies to built-in strategies only');
    return parseStrategy(readJson(strategy));
  }
  return builtinSpec(strategy, sets);
}

/** Cross-asset features the catalogue computes over a universe (percentile ranks of returns). */
const UNIVERSE_FEATURES = [
  ['rank_ret_20', 20],
  ['rank_ret_60', 60],
] as const;

/** The built-in templates a spec reads: without a database, stored ones cannot be evaluated. */
function builtinTemplates(ids: readonly string[]): SignalTemplate[] {
  return ids.map((id) => {
    const t = BUILTIN_TEMPLATES.find((b) => b.id === id);
    if (!t)
      throw usage(
        `template "${id}" is not built in: with --csv only built-in templates are evaluated (use --universe for stored ones)`,
      );
    return t;
  });
}

/**
 * A panel from a CSV of bars (any number of symbols) with the features the spec reads, computed in
 * memory, and its templates' firings, evaluated over those features by the signals stage's evaluator
 * (evaluateAll) with ranks across the file's symbols. AI reviews need the database.
 */
function csvPanel(text: string, spec: StrategySpec, assetType: AssetType, symbol: string | undefined) {
  const reads = strategyReads(spec);
  if (reads.reviews)
    throw usage(
      'a strategy with an AI review filter needs the database (use --universe): reviews are stored',
    );
  const templates = builtinTemplates(reads.signals);
  const moods = [...new Set([...reads.features, ...templateInputs(templates)])].filter(isSentimentInput);
  if (moods.length > 0)
    throw usage(
      `a strategy that reads news sentiment (${moods.join(', ')}) needs the database (use --universe): sentiment is stored`,
    );
  let parsed: ReturnType<typeof parseBarsCsv>;
  try {
    parsed = parseBarsCsv(text, symbol ? { defaultSymbol: symbol } : {});
  } catch (err) {
    // A file the parser cannot read is bad input, as a bad option is.
    throw usage(errorMessage(err));
  }
  const screened = screenBars(
    parsed.bars.map((bar) => ({ bar, source: 'csv' })),
    { today: todayUtc(), recentCloses: new Map() },
  );
  const bars: RawBar[] = screened.accepted.map((a) => a.bar);
  if (bars.length === 0) throw usage('the CSV has no usable bars');
  const series = seriesBySymbol(bars);
  const dates = new Map([...series].map(([s, b]) => [s, b.dates]));
  const inputs = templateInputs(templates);
  const rankInputs = [...templateRanks(templates).keys()];
  const needed = new Set<string>([...reads.features, ...inputs, ...rankInputs]);
  const universe = new Map<string, Map<string, Float64Array>>();
  for (const [name, days] of UNIVERSE_FEATURES)
    if (needed.has(name))
      universe.set(
        name,
        percentRanks(new Map([...series].map(([s, b]) => [s, returns(b.close, days)])), dates),
      );
  const periodsPerYear = assetType === 'crypto' ? 365 : 252;
  const computed = new Map<string, Record<string, ArrayLike<number>>>();
  for (const [sym, s] of series) {
    const columns: Record<string, ArrayLike<number>> = {
      ...(needed.size
        ? (computeFeatures(s, { periodsPerYear, benchmark: undefined }) as Record<string, Float64Array>)
        : {}),
      open: s.open,
      high: s.high,
      low: s.low,
      close: s.close,
      volume: s.volume,
    };
    for (const [name, bySymbol] of universe) columns[name] = bySymbol.get(sym)!;
    computed.set(sym, columns);
  }
  const fired = new Map<string, string[]>();
  if (templates.length) {
    // The file's symbols as one batch, asset after asset, as a signals job lays out its rows.
    const symbols = [...series.keys()];
    const total = symbols.reduce((n, sym) => n + series.get(sym)!.dates.length, 0);
    // An input the in-memory catalogue does not compute stays missing, so nothing fires on it.
    const concat = (column: (sym: string) => ArrayLike<number> | undefined) => {
      const out = new Float64Array(total).fill(Number.NaN);
      let at = 0;
      for (const sym of symbols) {
        const part = column(sym);
        if (part) for (let k = 0; k < part.length; k++) out[at + k] = part[k]!;
        at += series.get(sym)!.dates.length;
      }
      return out;
    };
    const columns = Object.fromEntries([...inputs].map((n) => [n, concat((sym) => computed.get(sym)![n])]));
    const ranks = Object.fromEntries(
      rankInputs.map((f) => {
        const bySymbol = percentRanks(
          new Map(symbols.map((sym) => [sym, Float64Array.from(computed.get(sym)![f] ?? [])])),
          dates,
        );
        return [f, concat((sym) => bySymbol.get(sym)!)];
      }),
    );
    let start = 0;
    const assets = symbols.map((sym, assetId) => {
      const asset = { assetId, assetType, start, dates: series.get(sym)!.dates };
      start += asset.dates.length;
      return asset;
    });
    const firstDate = [...series.values()].reduce(
      (d, s) => (s.dates[0]! < d ? s.dates[0]! : d),
      '9999-12-31',
    );
    for (const f of evaluateAll(templates, { assets, columns, ranks }, firstDate)) {
      const key = `${symbols[f.assetId]!}|${f.date}`;
      fired.set(key, [...(fired.get(key) ?? []), f.template]);
    }
  }
  const rows: PanelRow[] = [];
  for (const [sym, s] of series) {
    const columns = computed.get(sym)!;
    for (let i = 0; i < s.dates.length; i++)
      rows.push({
        symbol: sym,
        assetType,
        date: s.dates[i]!,
        open: s.open[i]!,
        high: s.high[i]!,
        low: s.low[i]!,
        close: s.close[i]!,
        volume: s.volume[i]!,
        features: Object.fromEntries(reads.features.map((f) => [f, columns[f]?.[i] ?? null])),
        signals: fired.get(`${sym}|${s.dates[i]!}`) ?? [],
      });
  }
  return buildPanel(rows, reads);
}

/** `--walk-forward MODE --train N --test N [--step N] [--embargo N]` as a request field (checked by its schema). */
function walkForwardOption(values: Values): Record<string, unknown> | undefined {
  const mode = values['walk-forward'];
  const numbers = (['train', 'test', 'step', 'embargo'] as const).filter((k) => values[k] !== undefined);
  if (mode === undefined) {
    if (numbers.length) throw usage(`--${numbers[0]} applies with --walk-forward only`);
    return undefined;
  }
  return { mode, ...Object.fromEntries(numbers.map((k) => [k, Number(values[k])])) };
}

type Printed = Omit<BacktestReport, 'equity'> & {
  timings: Record<string, number>;
  walk: (WalkForwardReport & { plan: unknown }) | null;
};

function print(report: Printed, json: boolean): void {
  if (json) {
    console.log(
      JSON.stringify({
        ...report.summary,
        metrics: report.metrics,
        benchmark: report.benchmark,
        trade_list: report.trades,
        timings: report.timings,
        ...(report.walk
          ? { walk_forward: report.walk.plan, folds: report.walk.folds, oos: report.walk.oos }
          : {}),
      }),
    );
    return;
  }
  const s = report.summary;
  const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? 'n/a' : x.toFixed(d));
  console.log(
    `trades ${s.trades}  return ${f(s.return_pct)}%  CAGR ${f(s.cagr_pct)}%  max drawdown ${f(s.max_drawdown_pct)}%  Sharpe ${f(s.sharpe)}  Sortino ${f(s.sortino)}`,
  );
  console.log(
    `win rate ${f(s.win_rate_pct)}%  profit factor ${f(s.profit_factor)}  expectancy ${f(s.expectancy_pct)}%  exposure ${f(s.exposure_pct)}%  final equity ${f(s.equity_final)}`,
  );
  console.log(`load ${report.timings.load_ms} ms, simulate ${report.timings.simulate_ms} ms`);
  if (!report.walk) return;
  for (const [k, fold] of report.walk.folds.entries())
    console.log(
      `fold ${k + 1}  train ${fold.train_from}..${fold.train_to} Sharpe ${f(fold.train.sharpe)}  test ${fold.test_from}..${fold.test_to} Sharpe ${f(fold.test.sharpe)} return ${f((fold.test.total_return ?? Number.NaN) * 100)}%`,
    );
  const o = report.walk.oos.summary;
  console.log(
    `out of sample: trades ${o.trades}  return ${f(o.return_pct)}%  max drawdown ${f(o.max_drawdown_pct)}%  Sharpe ${f(o.sharpe)}`,
  );
}

/**
 * Progress of a long backtest on stderr (stdout keeps the result, e.g. the --json object). On a terminal
 * one line is redrawn in place with the phase and the elapsed time (a timer, so it moves while the
 * database works); elsewhere each phase is one plain line, so logs stay readable.
 */
function progress(label: string) {
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  let phase = '';
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const draw = () => process.stderr.write(`\r${label}: ${phase} ${elapsed()}\x1b[K`);
  const timer = tty ? setInterval(draw, 250) : undefined;
  // An error on the way must not leave the timer holding the process open.
  timer?.unref();
  return {
    phase(next: string) {
      phase = next;
      if (tty) draw();
      else process.stderr.write(`${label}: ${next}\n`);
    },
    /** Clears the line (a failure prints its own). */
    stop() {
      clearInterval(timer);
      if (tty) process.stderr.write('\r\x1b[K');
    },
    done(line: string) {
      clearInterval(timer);
      process.stderr.write(`${tty ? '\r' : ''}${label}: ${line} (${elapsed()})${tty ? '\x1b[K' : ''}\n`);
    },
  };
}

/** `stratos backtest`: over a CSV in memory, or over a universe through the queue (results stored). */
export async function backtestCommand(
  values: Values,
  sets: readonly string[],
  withSession: <T>(fn: (s: Session) => Promise<T>) => Promise<T>,
): Promise<number> {
  const strategy = values.strategy;
  if (typeof strategy !== 'string') throw usage('backtest needs --strategy ID');
  const overrides = parseSets(sets);
  const cash = values.cash === undefined ? 100_000 : Number(values.cash);
  const json = values.json === true;
  const walkForward = walkForwardOption(values);
  if (typeof values.csv === 'string') {
    if (values.universe !== undefined) throw usage('give --universe or --csv, not both');
    const range = BacktestRequest.safeParse({
      strategy: 'csv',
      universe: 'csv',
      from: values.from,
      to: values.to,
      cash,
      walk_forward: walkForward,
    });
    if (!range.success) throw usage(formatIssues(range.error.issues));
    const assetType = values['asset-type'] === 'crypto' ? 'crypto' : 'equity';
    if (
      values['asset-type'] !== undefined &&
      values['asset-type'] !== 'equity' &&
      values['asset-type'] !== 'crypto'
    )
      throw usage('--asset-type is crypto or equity');
    const spec = specWithoutDatabase(strategy, overrides);
    const shown = progress(`backtest ${spec.id}`);
    shown.phase('reading the CSV and computing features...');
    const t0 = performance.now();
    let panel: ReturnType<typeof csvPanel>;
    let days: ReturnType<typeof simulatedDays>;
    try {
      panel = csvPanel(
        readFileSync(values.csv, 'utf8'),
        spec,
        assetType,
        typeof values.symbol === 'string' ? values.symbol : undefined,
      );
      days = simulatedDays(panel, range.data.from ?? panel.dates[0]!, range.data.to ?? panel.dates.at(-1)!);
    } catch (err) {
      shown.stop();
      throw err;
    }
    const t1 = performance.now();
    shown.phase(`simulating ${panel.nAssets} assets x ${days.to - days.from + 1} days...`);
    const report = backtestReport(spec, panel, {
      ...days,
      cash: range.data.cash,
      benchmark: benchmarkIndex(panel, assetType === 'crypto' ? 'BTC' : 'SPY'),
    });
    const t2 = performance.now();
    const plan = range.data.walk_forward
      ? resolveWalkForward(spec, range.data.walk_forward, days.to - days.from + 1)
      : null;
    if (plan) shown.phase(`walk-forward (${plan.mode})...`);
    const walk = plan
      ? { plan, ...walkForwardReport(spec, panel, { plan, ...days, cash: range.data.cash }) }
      : null;
    const t3 = performance.now();
    shown.done(`${report.trades.length} trades`);
    const { equity: _e, ...rest } = report;
    const timings = { load_ms: Math.round(t1 - t0), simulate_ms: Math.round(t2 - t1) };
    print(
      { ...rest, timings: plan ? { ...timings, walk_forward_ms: Math.round(t3 - t2) } : timings, walk },
      json,
    );
    return 0;
  }
  if (typeof values.universe !== 'string') throw usage('backtest needs --universe U or --csv FILE');
  const req = BacktestRequest.safeParse({
    strategy,
    universe: values.universe,
    from: values.from,
    to: values.to,
    cash,
    walk_forward: walkForward,
    ...(Object.keys(overrides).length ? { set: overrides } : {}),
  });
  if (!req.success) throw usage(formatIssues(req.error.issues));
  return withSession(async (s) => {
    const started = await startBacktest(s.ctx, req.data);
    let interrupted = false;
    const onInterrupt = () => {
      interrupted = true;
    };
    process.once('SIGINT', onInterrupt);
    const shown = progress(`backtest ${started.id}`);
    shown.phase(started.status === 'succeeded' ? 'already run' : 'loading and simulating (Ctrl-C stops)...');
    try {
      if (started.status !== 'succeeded')
        await drainUntilIdle(s.ctx, `backtest-${process.pid}`, 1, () => interrupted);
    } catch (err) {
      shown.stop();
      throw err;
    } finally {
      process.off('SIGINT', onInterrupt);
    }
    if (interrupted) {
      shown.done('interrupted: rerun the same command to finish the backtest');
      return 130;
    }
    shown.done('finished');
    const detail = await backtestDetail(s.ctx.sql, started.id);
    if (detail.status !== 'succeeded' || !detail.summary || !detail.metrics) {
      console.error(`backtest ${started.id} ${detail.status}: ${detail.error ?? 'no result'}`);
      return 1;
    }
    print(
      {
        summary: detail.summary,
        metrics: detail.metrics,
        benchmark: detail.benchmark,
        trades: detail.trades,
        timings: detail.timings,
        walk:
          detail.walk_forward && detail.oos
            ? { plan: detail.walk_forward, folds: detail.folds, oos: detail.oos }
            : null,
      },
      json,
    );
    return 0;
  });
}

/** Each built-in strategy with its parameters at their defaults, for `stratos backtest --help`. */
export const BUILTIN_HELP = BUILTIN_STRATEGIES.map(
  (b) =>
    `  ${b.id.padEnd(14)} ${b.description}\n${' '.repeat(17)}--set ${builtinParameters(b.id)
      .map((p) => `${p.name}=${p.default}`)
      .join(' ')}`,
).join('\n');
