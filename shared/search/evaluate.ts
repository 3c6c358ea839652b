// One variation over one week's dataset: its picks on each signal day, and its result per day, defined
// as the equal-weight mean of its picks' next-session open-to-close returns (close[t+1] / open[t+1] − 1),
// bought at the next open after the signal day's close and sold at that session's close; a day without
// picks holds cash and returns 0.

import { type Algorithm, SIGNAL_DAYS, type TickerBars } from './algorithms/index.ts';

/** A week's snapshot in memory: K tickers × L bars, ticker-major (ticker k's bar i at k·L + i). */
export interface SearchDataset {
  /** Monday of the week, YYYY-MM-DD. */
  week: string;
  /** The L bar dates, oldest first; the last SIGNAL_DAYS are the week's sessions. */
  dates: string[];
  symbols: string[];
  assetIds: number[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A dataset made ready for many evaluations: per-ticker views and next-session returns, computed once. */
export interface PreparedDataset {
  dataset: SearchDataset;
  tickers: TickerBars[];
  /** Index of the first signal day: the close before the week's first session. */
  first: number;
  /** Ticker k's next-session return after signal day d at k·SIGNAL_DAYS + d. */
  sessionReturns: Float64Array;
  /** Features of every ticker per algorithm and kernel setting, oldest first, bounded by FEATURE_CACHE_BYTES. */
  features: Map<string, Float64Array>;
}

/** Memory the feature cache may hold; the oldest kernel settings are dropped past it. */
const FEATURE_CACHE_BYTES = 256 * 1024 * 1024;

/** Views and next-session returns of a dataset. */
export function prepareDataset(dataset: SearchDataset): PreparedDataset {
  const bars = dataset.dates.length;
  const count = dataset.symbols.length;
  const first = bars - SIGNAL_DAYS - 1;
  if (first < 1)
    throw new RangeError(`a search dataset needs more than ${SIGNAL_DAYS + 1} bars, got ${bars}`);
  const tickers: TickerBars[] = [];
  const sessionReturns = new Float64Array(count * SIGNAL_DAYS);
  for (let k = 0; k < count; k++) {
    const from = k * bars;
    const view = (x: Float64Array) => x.subarray(from, from + bars);
    tickers.push({
      open: view(dataset.open),
      high: view(dataset.high),
      low: view(dataset.low),
      close: view(dataset.close),
      volume: view(dataset.volume),
    });
    for (let d = 0; d < SIGNAL_DAYS; d++) {
      const session = from + first + d + 1;
      sessionReturns[k * SIGNAL_DAYS + d] = dataset.close[session]! / dataset.open[session]! - 1;
    }
  }
  return { dataset, tickers, first, sessionReturns, features: new Map() };
}

/** What one variation did over the week. */
export interface VariationResult {
  /** Result per signal day (see the file header). */
  daily: Float64Array;
  /** Tickers bought per signal day. */
  buys: Int32Array;
  /** Per ticker, bit d set when bought on signal day d. */
  picks: Uint8Array;
}

/** Every ticker's features for the algorithm's kernel setting in `params`, computed once per setting. */
function featuresOf(data: PreparedDataset, algorithm: Algorithm, params: readonly number[]): Float64Array {
  const key = `${algorithm.id}:${params.slice(0, algorithm.kernelParams).join(',')}`;
  const cached = data.features.get(key);
  if (cached) return cached;
  const stride = algorithm.features * SIGNAL_DAYS;
  const out = new Float64Array(data.tickers.length * stride);
  for (let k = 0; k < data.tickers.length; k++)
    algorithm.compute(data.tickers[k]!, params, data.first, out, k * stride);
  let bytes = out.byteLength;
  for (const v of data.features.values()) bytes += v.byteLength;
  for (const [old, v] of data.features) {
    if (bytes <= FEATURE_CACHE_BYTES) break;
    data.features.delete(old);
    bytes -= v.byteLength;
  }
  data.features.set(key, out);
  return out;
}

/** Runs one variation (an algorithm with parameter values) over a prepared dataset. */
export function evaluateVariation(
  data: PreparedDataset,
  algorithm: Algorithm,
  params: readonly number[],
): VariationResult {
  const count = data.tickers.length;
  const features = featuresOf(data, algorithm, params);
  const stride = algorithm.features * SIGNAL_DAYS;
  const picks = new Uint8Array(count);
  const sums = new Float64Array(SIGNAL_DAYS);
  const buys = new Int32Array(SIGNAL_DAYS);
  for (let k = 0; k < count; k++) {
    let bits = 0;
    for (let d = 0; d < SIGNAL_DAYS; d++)
      if (algorithm.rule(features, k * stride, d, params)) {
        bits |= 1 << d;
        sums[d] = sums[d]! + data.sessionReturns[k * SIGNAL_DAYS + d]!;
        buys[d] = buys[d]! + 1;
      }
    picks[k] = bits;
  }
  const daily = new Float64Array(SIGNAL_DAYS);
  for (let d = 0; d < SIGNAL_DAYS; d++) daily[d] = buys[d]! > 0 ? sums[d]! / buys[d]! : 0;
  return { daily, buys, picks };
}

/** Picks a variation needs before its mean is trusted at half weight: the score's shrinkage prior. */
const PRIOR_PICKS = 25;

/** Summary statistics of one variation's week. */
export interface VariationStats {
  /** Mean of the daily results. */
  meanReturn: number;
  /** Sample standard deviation of the daily results. */
  stdReturn: number;
  /** Per-day Sharpe: mean over standard deviation of the daily results (NaN when they are all equal). */
  sharpe: number;
  /** Stability: share of days with a positive result. */
  positiveShare: number;
  totalBuys: number;
  /** Days with at least one pick. */
  activeDays: number;
  /**
   * The optimizer's objective: mean daily result × buys / (buys + 25), shrinking toward 0 a mean made
   * of few picks so that one lucky pick does not lead the search.
   */
  score: number;
}

/** Statistics of one variation's daily results and buys. */
export function variationStats(result: VariationResult): VariationStats {
  const { daily, buys } = result;
  const n = daily.length;
  let sum = 0;
  let positive = 0;
  let totalBuys = 0;
  let activeDays = 0;
  for (let d = 0; d < n; d++) {
    sum += daily[d]!;
    if (daily[d]! > 0) positive++;
    totalBuys += buys[d]!;
    if (buys[d]! > 0) activeDays++;
  }
  const meanReturn = sum / n;
  let ss = 0;
  for (let d = 0; d < n; d++) ss += (daily[d]! - meanReturn) ** 2;
  const stdReturn = Math.sqrt(ss / (n - 1));
  return {
    meanReturn,
    stdReturn,
    sharpe: stdReturn > 0 ? meanReturn / stdReturn : Number.NaN,
    positiveShare: positive / n,
    totalBuys,
    activeDays,
    score: (meanReturn * totalBuys) / (totalBuys + PRIOR_PICKS),
  };
}

/** Overlap of two variations: Jaccard index of their (ticker, day) picks; 0 when neither picks. */
export function pickOverlap(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let k = 0; k < a.length; k++) {
    both += popcount(a[k]! & b[k]!);
    either += popcount(a[k]! | b[k]!);
  }
  return either ? both / either : 0;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
