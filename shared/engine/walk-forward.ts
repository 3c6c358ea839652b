import { FEATURES } from '../features/catalogue.ts';
import { conditionInputs, conditionLookback, inputDepths } from '../signals/inputs.ts';
import type { Condition, SignalTemplate } from '../signals/schema.ts';
import { BUILTIN_TEMPLATES } from '../signals/templates/index.ts';
import { type StrategySpec, strategyTemplates } from '../strategy/spec.ts';
import { type BacktestResult, panelPeriods, runBacktest } from './backtest.ts';
import { computeMetrics, type Metrics } from './metrics.ts';
import type { Panel } from './panel.ts';

const FEATURE_LOOKBACK = new Map<string, number>(FEATURES.map((f) => [f.name, f.lookback]));

/** Bars before its first value an input needs: the catalogue's lookback, 0 for a bar field. */
const inputLookback = (input: string): number => FEATURE_LOOKBACK.get(input) ?? 0;

/** The deepest bar before the decision day one condition reaches through its features. */
function conditionReach(c: Condition): number {
  const { inputs, ranks } = conditionInputs(c);
  let deepest = 0;
  for (const input of [...inputs, ...ranks]) deepest = Math.max(deepest, inputLookback(input));
  return deepest + conditionLookback(c);
}

/**
 * The longest history, in bars before the decision day, anything the spec reads depends on: each
 * condition's features (their catalogue lookbacks) plus how far back the condition looks (crosses, changes,
 * held), the templates' inputs the same way, the ranking feature, `atr_14` for ATR exits, and the engine's
 * moving averages (a cross of period p reads p bars back). Templates not built in must be passed.
 */
export function strategyLookback(
  spec: StrategySpec,
  templates: ReadonlyMap<string, SignalTemplate> = new Map(),
): number {
  let lookback = 0;
  const conditions: Condition[] = [];
  for (const side of [spec.entry.long, spec.entry.short]) {
    if (side?.when) conditions.push(side.when);
    if (side?.ma_cross) lookback = Math.max(lookback, side.ma_cross.fast.period, side.ma_cross.slow.period);
  }
  if (spec.exit.signal?.long) conditions.push(spec.exit.signal.long);
  if (spec.exit.signal?.short) conditions.push(spec.exit.signal.short);
  for (const c of conditions) lookback = Math.max(lookback, conditionReach(c));
  for (const id of strategyTemplates(spec)) {
    const t = templates.get(id) ?? BUILTIN_TEMPLATES.find((b) => b.id === id);
    if (!t) throw new RangeError(`unknown signal template "${id}": pass it to strategyLookback`);
    for (const [input, depth] of inputDepths([t]))
      lookback = Math.max(lookback, inputLookback(input) + depth);
    lookback = Math.max(lookback, conditionReach(t.when));
  }
  if (spec.entry.rank) lookback = Math.max(lookback, inputLookback(spec.entry.rank.by));
  if (spec.exit.stop?.atr !== undefined || spec.exit.trailing?.atr !== undefined)
    lookback = Math.max(lookback, inputLookback('atr_14'));
  return lookback;
}

/** How folds are cut: their lengths in panel days, the embargo between train and test, the days used. */
export interface FoldPlan {
  /** `rolling`: the train window slides by `step`; `anchored`: it starts at `from` and grows by `step`. */
  mode: 'rolling' | 'anchored';
  train: number;
  test: number;
  /** Days between consecutive folds' test windows; at least `test`, so test windows never overlap. Default `test`. */
  step?: number;
  /** Days left out between a train window's last day and its test window's first. */
  embargo: number;
  /** First and last panel day the folds may use (inclusive); default the whole panel. */
  from?: number;
  to: number;
}

/** One fold's windows: panel day indices, inclusive. */
export interface FoldBounds {
  trainFrom: number;
  trainTo: number;
  testFrom: number;
  testTo: number;
}

const positiveInt = (x: number) => Number.isInteger(x) && x >= 1;

/** The folds of a plan, in time order; every fold has its whole test window inside [from, to]. */
export function walkForwardFolds(plan: FoldPlan): FoldBounds[] {
  const from = plan.from ?? 0;
  const step = plan.step ?? plan.test;
  if (!positiveInt(plan.train) || !positiveInt(plan.test))
    throw new RangeError('train and test must be whole numbers of days, at least 1');
  if (!Number.isInteger(step) || step < plan.test)
    throw new RangeError(`step must be a whole number of at least test (${plan.test}) days, got ${step}`);
  if (!Number.isInteger(plan.embargo) || plan.embargo < 0)
    throw new RangeError(`embargo must be a whole number of days, got ${plan.embargo}`);
  const folds: FoldBounds[] = [];
  for (let k = 0; ; k++) {
    const trainFrom = plan.mode === 'rolling' ? from + k * step : from;
    const trainTo = from + k * step + plan.train - 1;
    const testFrom = trainTo + plan.embargo + 1;
    const testTo = testFrom + plan.test - 1;
    if (testTo > plan.to) break;
    folds.push({ trainFrom, trainTo, testFrom, testTo });
  }
  if (folds.length === 0)
    throw new RangeError(
      `days ${from}..${plan.to} hold no fold of ${plan.train} train + ${plan.embargo} embargo + ${plan.test} test days`,
    );
  return folds;
}

/** A walk-forward's options: the fold plan (embargo defaulting to the spec's lookback) and the cash. */
export interface WalkForwardOptions extends Omit<FoldPlan, 'embargo' | 'to'> {
  cash: number;
  /** At least the spec's lookback (strategyLookback); default exactly that. */
  embargo?: number;
  to?: number;
  /** Signal templates the spec reads that are not built in. */
  templates?: ReadonlyMap<string, SignalTemplate>;
}

/** One fold: its windows, the metrics of its train and test runs, and the test run itself. */
export interface FoldResult extends FoldBounds {
  train: Metrics;
  test: Metrics;
  testRun: BacktestResult;
}

/** A walk-forward's folds and the out-of-sample summary: the test windows chained into one equity curve. */
export interface WalkForwardResult {
  embargo: number;
  folds: FoldResult[];
  /** Starting cash, then each test day's equity: every fold's test curve scaled to start where the last ended. */
  oosEquity: Float64Array;
  oos: Metrics;
}

/**
 * Runs a spec over each fold's train and test windows, each from fresh cash (nothing carries across a
 * window's edge), and chains the test windows into the out-of-sample curve. The embargo keeps every
 * test-window decision from reading a train-window bar; a smaller one than the spec's lookback is refused.
 */
export function walkForward(spec: StrategySpec, panel: Panel, opts: WalkForwardOptions): WalkForwardResult {
  const lookback = strategyLookback(spec, opts.templates);
  const embargo = opts.embargo ?? lookback;
  if (embargo < lookback)
    throw new RangeError(`embargo ${embargo} is shorter than the ${lookback} days the strategy reads back`);
  const folds = walkForwardFolds({ ...opts, embargo, to: opts.to ?? panel.nDays - 1 });
  const results: FoldResult[] = folds.map((f) => {
    const train = runBacktest(spec, panel, { cash: opts.cash, from: f.trainFrom, to: f.trainTo });
    const testRun = runBacktest(spec, panel, { cash: opts.cash, from: f.testFrom, to: f.testTo });
    return { ...f, train: train.metrics, test: testRun.metrics, testRun };
  });
  const n = results.reduce((s, r) => s + r.testRun.equity.length, 0);
  const oosEquity = new Float64Array(n + 1);
  const invested = new Uint8Array(n);
  const trades: { pnl: number; returnPct: number }[] = [];
  let traded = 0;
  let level = opts.cash;
  let k = 1;
  oosEquity[0] = level;
  for (const r of results) {
    // Each test run starts from opts.cash: scaled to the level reached, its returns carry on the curve.
    const scale = level / opts.cash;
    for (let d = 0; d < r.testRun.equity.length; d++) {
      invested[k - 1] = r.testRun.invested[d]!;
      oosEquity[k++] = r.testRun.equity[d]! * scale;
    }
    for (const t of r.testRun.trades) trades.push({ pnl: t.pnl * scale, returnPct: t.returnPct });
    traded += r.testRun.state.traded * scale;
    level = oosEquity[k - 1]!;
  }
  const oos = computeMetrics({
    equity: oosEquity,
    periodsPerYear: panelPeriods(panel),
    trades,
    invested,
    traded,
  });
  return { embargo, folds: results, oosEquity, oos };
}
