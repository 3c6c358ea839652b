import type { BarSeries } from '../../domain/market.ts';
import { rollingBetaCorrelation } from '../../indicators/beta/index.ts';
import { defineGroup, feature, logReturns, ratio, universeFeature } from '../define.ts';

/** Return window of the benchmark-relative features. */
const WINDOW = 60;

/** Relative to the market: benchmark beta and correlation (per asset), and ranks across the universe (per day). */
export const relativeGroup = defineGroup(
  [
    feature(
      'beta_60',
      'relative',
      'ratio',
      WINDOW,
      'Beta to the benchmark (BTC for crypto, SPY for equities) over 60 daily log returns.',
    ),
    feature(
      'corr_60',
      'relative',
      'ratio -1-1',
      WINDOW,
      'Correlation with the benchmark (BTC for crypto, SPY for equities) over 60 daily log returns.',
    ),
    feature(
      'rel_strength_60',
      'relative',
      'fraction',
      WINDOW,
      "60-bar return minus the benchmark's 60-bar return: outperformance of the market.",
    ),
    universeFeature(
      'rank_ret_20',
      'relative',
      'percentile 0-1',
      20,
      'Percentile rank of the 20-bar return across the universe that day: 1 is the strongest.',
    ),
    universeFeature(
      'rank_ret_60',
      'relative',
      'percentile 0-1',
      60,
      'Percentile rank of the 60-bar return across the universe that day: 1 is the strongest.',
    ),
  ],
  (input) => {
    const bench = alignBenchmark(input.bars, input.opts.benchmark);
    // Per-window sums: a daily run computes only its windows.
    const { beta, correlation } = input.windowed(WINDOW, (s) =>
      rollingBetaCorrelation(input.logReturns().subarray(s), bench.logReturns.subarray(s), WINDOW),
    );
    return {
      beta_60: beta,
      corr_60: correlation,
      rel_strength_60: relativeStrength(input.returns(WINDOW), bench.close, WINDOW),
    };
  },
);

/** assetReturns - returns(benchClose, bars), elementwise, in one pass: the same values, one array fewer. */
function relativeStrength(assetReturns: Float64Array, benchClose: Float64Array, bars: number): Float64Array {
  const n = assetReturns.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const benchReturn = i >= bars ? ratio(benchClose[i]!, benchClose[i - bars]!) - 1 : Number.NaN;
    out[i] = assetReturns[i]! - benchReturn;
  }
  return out;
}

/** The benchmark's close on each of the asset's dates, and logReturns() of that aligned close. */
interface AlignedBenchmark {
  /** NaN where the benchmark has no bar. */
  close: Float64Array;
  logReturns: Float64Array;
}

/** What every asset's alignment reads from one benchmark series. */
interface BenchmarkIndex {
  dates: readonly string[];
  close: Float64Array;
  /** Benchmark bar of each date (the last one, should a date repeat). */
  byDate: Map<string, number>;
  /** No date repeats, so the bar after a match can be tried before the map. */
  unique: boolean;
  /** logReturns(benchmark.close): an asset whose dates run along the benchmark's reuses these. */
  logReturns: Float64Array;
}

// One index per benchmark series: the features stage passes the same benchmark for every asset of a run.
// A series is taken as immutable, as every kernel input is; replacing its dates or close array rebuilds it.
const benchmarkIndexes = new WeakMap<BarSeries, BenchmarkIndex>();

function benchmarkIndex(benchmark: BarSeries): BenchmarkIndex {
  const cached = benchmarkIndexes.get(benchmark);
  if (
    cached &&
    cached.dates === benchmark.dates &&
    cached.close === benchmark.close &&
    cached.dates.length === cached.logReturns.length &&
    cached.close.length === cached.logReturns.length
  ) {
    return cached;
  }
  const { dates, close } = benchmark;
  const byDate = new Map<string, number>();
  for (let i = 0; i < dates.length; i++) byDate.set(dates[i]!, i);
  const index: BenchmarkIndex = {
    dates,
    close,
    byDate,
    unique: byDate.size === dates.length,
    logReturns: logReturns(close),
  };
  benchmarkIndexes.set(benchmark, index);
  return index;
}

function alignBenchmark(bars: BarSeries, benchmark: BarSeries | undefined): AlignedBenchmark {
  const n = bars.dates.length;
  const close = new Float64Array(n);
  const out: AlignedBenchmark = { close, logReturns: new Float64Array(n) };
  if (!benchmark) {
    close.fill(Number.NaN);
    out.logReturns.fill(Number.NaN);
    return out;
  }
  const bench = benchmarkIndex(benchmark);
  const benchDates = bench.dates;
  const benchClose = bench.close;
  const benchLogReturns = bench.logReturns;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const date = bars.dates[i]!;
    // Most assets trade on the benchmark's calendar: try the bar after the previous match first.
    let j = prev + 1;
    if (!(prev >= 0 && bench.unique && j < benchDates.length && benchDates[j] === date)) {
      j = bench.byDate.get(date) ?? -1;
    }
    const c = j >= 0 ? (benchClose[j] ?? Number.NaN) : Number.NaN;
    close[i] = c;
    if (i === 0) out.logReturns[0] = Number.NaN;
    else if (prev >= 0 && j === prev + 1 && j < benchLogReturns.length) {
      // The same two closes as the benchmark's own consecutive bars: logReturns' value for them.
      out.logReturns[i] = benchLogReturns[j]!;
    } else {
      const r = ratio(c, close[i - 1]!);
      out.logReturns[i] = r > 0 ? Math.log(r) : Number.NaN;
    }
    prev = j;
  }
  return out;
}
