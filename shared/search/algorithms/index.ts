// The weekly search's screening algorithms: each turns one ticker's bars into buy picks on the signal
// days, through the indicator kernels, with parameters from a finite grid the optimizer samples.
// Picks on a signal day use only bars up to and including that day's close (each algorithm sees the
// series cut right after its last signal day), so no result can leak into a pick.

import { adx } from '../../indicators/adx/index.ts';
import { bbands } from '../../indicators/bbands/index.ts';
import { donchian } from '../../indicators/donchian/index.ts';
import { ema } from '../../indicators/ema/index.ts';
import { macd } from '../../indicators/macd/index.ts';
import { roc } from '../../indicators/roc/index.ts';
import { rsi } from '../../indicators/rsi/index.ts';
import { sma } from '../../indicators/sma/index.ts';
import { stddev } from '../../indicators/stddev/index.ts';
import { stoch } from '../../indicators/stoch/index.ts';

/** Signal days per variation: the close before each of the week's 5 sessions. */
export const SIGNAL_DAYS = 5;

/** One parameter's grid: min, min + step, …, up to max. */
export interface ParamSpec {
  name: string;
  min: number;
  max: number;
  step: number;
  description: string;
}

/** One ticker's bars, oldest first: views into the dataset's arrays. */
export interface TickerBars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/**
 * A parameterised screening algorithm. Its leading `kernelParams` parameters feed the indicator kernels
 * and the rest only set thresholds, so a search computes the kernels once per kernel setting and then
 * tests every threshold on the stored features.
 */
export interface Algorithm {
  id: string;
  description: string;
  params: readonly ParamSpec[];
  kernelParams: number;
  /** Features per ticker and signal day. */
  features: number;
  /**
   * Writes the ticker's feature f on signal day `first + d` to out[at + f·SIGNAL_DAYS + d]; bars after
   * the last signal day are never read.
   */
  compute(bars: TickerBars, p: readonly number[], first: number, out: Float64Array, at: number): void;
  /** Whether the ticker is bought on signal day d, from its features at `at`. */
  rule(f: Float64Array, at: number, d: number, p: readonly number[]): boolean;
}

/** Bars before the first signal day the largest parameters need; the dataset stores this many. */
export const HISTORY_BARS = 130;

/** View of `x` from `history` bars before `first` to the last signal day. */
function cut(x: Float64Array, first: number, history: number): Float64Array {
  return x.subarray(Math.max(0, first - history), first + SIGNAL_DAYS);
}

/** Index of `first` inside a cut made with `history`. */
function at0(first: number, history: number): number {
  return first - Math.max(0, first - history);
}

/** Copies series[start + d] (d < SIGNAL_DAYS) to feature slot f. */
function put(out: Float64Array, at: number, f: number, series: ArrayLike<number>, start: number): void {
  for (let d = 0; d < SIGNAL_DAYS; d++) out[at + f * SIGNAL_DAYS + d] = series[start + d]!;
}

/** Writes to slot f how many days in a row `above(i)` has held up to each signal day (0 when it does not). */
function putRun(
  out: Float64Array,
  at: number,
  f: number,
  start: number,
  above: (i: number) => boolean,
): void {
  for (let d = 0; d < SIGNAL_DAYS; d++) {
    let run = 0;
    for (let i = start + d; i >= 0 && above(i); i--) run++;
    out[at + f * SIGNAL_DAYS + d] = run;
  }
}

const feature = (f: Float64Array, at: number, k: number, d: number) => f[at + k * SIGNAL_DAYS + d]!;

// Exponential smoothers (EMA, MACD, Wilder's RSI and ADX) read the whole stored history so they have
// converged by the signal days; windowed ones read their window and a margin.
const FULL = HISTORY_BARS;

const adxTrend: Algorithm = {
  id: 'adx_trend',
  description: 'Trend strength: ADX at least a level with +DI above −DI by at least a gap.',
  params: [
    { name: 'period', min: 5, max: 30, step: 1, description: 'Wilder period of DI and ADX' },
    { name: 'adx_min', min: 10, max: 45, step: 1, description: 'minimum ADX' },
    { name: 'di_gap', min: 0, max: 20, step: 1, description: 'minimum +DI − −DI' },
  ],
  kernelParams: 1,
  features: 2,
  compute(b, [period], first, out, at) {
    const r = adx(cut(b.high, first, FULL), cut(b.low, first, FULL), cut(b.close, first, FULL), period);
    const s = at0(first, FULL);
    put(out, at, 0, r.adx, s);
    for (let d = 0; d < SIGNAL_DAYS; d++) out[at + SIGNAL_DAYS + d] = r.plusDi[s + d]! - r.minusDi[s + d]!;
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) >= p[1]! && feature(f, at, 1, d) >= p[2]!,
};

const emaCross: Algorithm = {
  id: 'ema_cross',
  description: 'Trend turn: the fast EMA crossed above the slow EMA within the last few days.',
  params: [
    { name: 'fast', min: 3, max: 30, step: 1, description: 'fast EMA period' },
    { name: 'gap', min: 2, max: 80, step: 2, description: 'slow period minus fast period' },
    { name: 'within', min: 1, max: 5, step: 1, description: 'days since the cross, at most' },
  ],
  kernelParams: 2,
  features: 1,
  compute(b, [fast, gap], first, out, at) {
    const c = cut(b.close, first, FULL);
    const f = ema(c, fast!);
    const s = ema(c, fast! + gap!);
    putRun(out, at, 0, at0(first, FULL), (i) => f[i]! > s[i]!);
  },
  // Above today for at most `within` days: the cross happened within them.
  rule: (f, at, d, p) => feature(f, at, 0, d) >= 1 && feature(f, at, 0, d) <= p[2]!,
};

const macdCross: Algorithm = {
  id: 'macd_cross',
  description: 'Momentum turn: the MACD line crossed above its signal line within the last few days.',
  params: [
    { name: 'fast', min: 4, max: 20, step: 1, description: 'fast EMA period' },
    { name: 'gap', min: 4, max: 30, step: 1, description: 'slow period minus fast period' },
    { name: 'signal', min: 3, max: 15, step: 1, description: 'signal EMA period' },
    { name: 'within', min: 1, max: 5, step: 1, description: 'days since the cross, at most' },
  ],
  kernelParams: 3,
  features: 1,
  compute(b, [fast, gap, signal], first, out, at) {
    const r = macd(cut(b.close, first, FULL), fast!, fast! + gap!, signal!);
    putRun(out, at, 0, at0(first, FULL), (i) => r.hist[i]! > 0);
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) >= 1 && feature(f, at, 0, d) <= p[3]!,
};

const rsiOversold: Algorithm = {
  id: 'rsi_oversold',
  description: 'Mean reversion: Wilder RSI below a threshold.',
  params: [
    { name: 'period', min: 2, max: 30, step: 1, description: 'RSI period' },
    { name: 'below', min: 5, max: 50, step: 1, description: 'RSI threshold' },
  ],
  kernelParams: 1,
  features: 1,
  compute(b, [period], first, out, at) {
    put(out, at, 0, rsi(cut(b.close, first, FULL), period), at0(first, FULL));
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) < p[1]!,
};

const bollingerLower: Algorithm = {
  id: 'bollinger_lower',
  description: 'Mean reversion: close below the lower Bollinger band of a given width.',
  params: [
    { name: 'period', min: 5, max: 40, step: 1, description: 'band SMA period' },
    { name: 'width', min: 1, max: 3, step: 0.25, description: 'band width in standard deviations' },
  ],
  kernelParams: 1,
  features: 1,
  compute(b, [period], first, out, at) {
    const history = period! + 1;
    const c = cut(b.close, first, history);
    // Bands one deviation wide give the deviation; the close's distance in deviations is then any width's test.
    const r = bbands(c, period, 1);
    const s = at0(first, history);
    for (let d = 0; d < SIGNAL_DAYS; d++) {
      const sd = r.middle[s + d]! - r.lower[s + d]!;
      out[at + d] = sd > 0 ? (c[s + d]! - r.middle[s + d]!) / sd : Number.NaN;
    }
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) < -p[1]!,
};

const stochasticTurn: Algorithm = {
  id: 'stochastic_turn',
  description: 'Mean reversion: slow %K below a threshold and above %D (turning up).',
  params: [
    { name: 'fast_k', min: 5, max: 30, step: 1, description: 'fast %K window' },
    { name: 'slow_k', min: 1, max: 5, step: 1, description: 'slow %K smoothing' },
    { name: 'below', min: 5, max: 40, step: 1, description: '%K threshold' },
  ],
  kernelParams: 2,
  features: 2,
  compute(b, [fastK, slowK], first, out, at) {
    const history = fastK! + slowK! + 3;
    const r = stoch(
      cut(b.high, first, history),
      cut(b.low, first, history),
      cut(b.close, first, history),
      fastK,
      slowK,
      3,
    );
    const s = at0(first, history);
    put(out, at, 0, r.k, s);
    put(out, at, 1, r.d, s);
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) < p[2]! && feature(f, at, 0, d) > feature(f, at, 1, d),
};

const returnShock: Algorithm = {
  id: 'zscore_shock',
  description:
    "Mean reversion: the day's return at least a number of standard deviations below its recent mean.",
  params: [
    { name: 'period', min: 5, max: 60, step: 1, description: 'window of past daily returns' },
    { name: 'z', min: -4, max: -0.5, step: 0.25, description: 'z-score at most' },
  ],
  kernelParams: 1,
  features: 1,
  compute(b, [period], first, out, at) {
    const history = period! + 2;
    const c = cut(b.close, first, history);
    const r = new Float64Array(c.length);
    for (let i = 1; i < c.length; i++) r[i] = c[i]! / c[i - 1]! - 1;
    const ret = r.subarray(1);
    const m = sma(ret, period!);
    const sd = stddev(ret, period!);
    const s = at0(first, history) - 1;
    // The baseline ends the day before, so the shock is not part of its own mean and deviation.
    for (let d = 0; d < SIGNAL_DAYS; d++) {
      const i = s + d;
      out[at + d] = sd[i - 1]! > 0 ? (ret[i]! - m[i - 1]!) / sd[i - 1]! : Number.NaN;
    }
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) <= p[1]!,
};

const volumeSpike: Algorithm = {
  id: 'volume_spike',
  description: 'Accumulation: an up day on volume a multiple of its average over the previous days.',
  params: [
    { name: 'period', min: 5, max: 60, step: 1, description: 'average volume window' },
    { name: 'multiple', min: 1.5, max: 6, step: 0.25, description: 'volume over its average, at least' },
  ],
  kernelParams: 1,
  features: 1,
  compute(b, [period], first, out, at) {
    const history = period! + 2;
    const v = cut(b.volume, first, history);
    const o = cut(b.open, first, history);
    const c = cut(b.close, first, history);
    const avg = sma(v, period!);
    const s = at0(first, history);
    // The average ends the day before, so the spike is not part of its own baseline; a down day scores 0.
    for (let d = 0; d < SIGNAL_DAYS; d++) {
      const i = s + d;
      out[at + d] = c[i]! > o[i]! && avg[i - 1]! > 0 ? v[i]! / avg[i - 1]! : 0;
    }
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) >= p[1]!,
};

const rocMomentum: Algorithm = {
  id: 'roc_momentum',
  description: 'Momentum: rate of change over a window at least a percentage.',
  params: [
    { name: 'period', min: 2, max: 60, step: 1, description: 'ROC window' },
    { name: 'min_pct', min: 1, max: 40, step: 1, description: 'ROC in percent, at least' },
  ],
  kernelParams: 1,
  features: 1,
  compute(b, [period], first, out, at) {
    const history = period! + 1;
    put(out, at, 0, roc(cut(b.close, first, history), period), at0(first, history));
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) >= p[1]!,
};

const donchianBreakout: Algorithm = {
  id: 'donchian_breakout',
  description: 'Breakout: close above the highest high of the previous days by at least a margin.',
  params: [
    { name: 'period', min: 5, max: 100, step: 1, description: 'channel window' },
    { name: 'margin_pct', min: 0, max: 3, step: 0.25, description: 'close above the channel, in percent' },
  ],
  kernelParams: 1,
  features: 1,
  compute(b, [period], first, out, at) {
    const history = period! + 1;
    const c = cut(b.close, first, history);
    const r = donchian(cut(b.high, first, history), cut(b.low, first, history), period);
    const s = at0(first, history);
    // The channel ends the day before: today's high is part of today's channel.
    for (let d = 0; d < SIGNAL_DAYS; d++) out[at + d] = (c[s + d]! / r.upper[s + d - 1]! - 1) * 100;
  },
  rule: (f, at, d, p) => feature(f, at, 0, d) > p[1]!,
};

/** Every screening algorithm of the weekly search, in the order reports list them. */
export const ALGORITHMS: readonly Algorithm[] = [
  adxTrend,
  emaCross,
  macdCross,
  rsiOversold,
  bollingerLower,
  stochasticTurn,
  returnShock,
  volumeSpike,
  rocMomentum,
  donchianBreakout,
];

/** Parameter values of grid indices. */
export function paramValues(specs: readonly ParamSpec[], indices: readonly number[]): number[] {
  return specs.map((s, k) => Math.round((s.min + indices[k]! * s.step) * 1e9) / 1e9);
}

/** Number of grid points of one parameter. */
export function gridSize(spec: ParamSpec): number {
  return Math.floor((spec.max - spec.min) / spec.step + 1e-9) + 1;
}
