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

/** A parameterised screening algorithm. */
export interface Algorithm {
  id: string;
  description: string;
  params: readonly ParamSpec[];
  /**
   * Bit i set when the ticker is bought on signal day `first + i` (i < SIGNAL_DAYS), `p` the parameter
   * values in `params` order. Bars after the last signal day are never read.
   */
  picks(bars: TickerBars, p: readonly number[], first: number): number;
}

/** Bars before the first signal day the largest parameters need; the dataset stores this many. */
export const HISTORY_BARS = 130;

/** Views of `x` from `history` bars before `first` to the last signal day; index `history` is `first`. */
function cut(x: Float64Array, first: number, history: number): Float64Array {
  return x.subarray(Math.max(0, first - history), first + SIGNAL_DAYS);
}

/** Offset of `first` inside a cut made with `history`. */
function at(first: number, history: number): number {
  return first - Math.max(0, first - history);
}

/** Bitmask of the signal days where `test(i)` holds, i the index inside the cut. */
function mask(start: number, test: (i: number) => boolean): number {
  let bits = 0;
  for (let d = 0; d < SIGNAL_DAYS; d++) if (test(start + d)) bits |= 1 << d;
  return bits;
}

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
  picks(b, [period, adxMin, gap], first) {
    const r = adx(cut(b.high, first, FULL), cut(b.low, first, FULL), cut(b.close, first, FULL), period);
    return mask(at(first, FULL), (i) => r.adx[i]! >= adxMin! && r.plusDi[i]! - r.minusDi[i]! >= gap!);
  },
};

const emaCross: Algorithm = {
  id: 'ema_cross',
  description: 'Trend turn: the fast EMA crossed above the slow EMA within the last few days.',
  params: [
    { name: 'fast', min: 3, max: 30, step: 1, description: 'fast EMA period' },
    { name: 'gap', min: 2, max: 80, step: 2, description: 'slow period minus fast period' },
    { name: 'within', min: 1, max: 5, step: 1, description: 'days since the cross, at most' },
  ],
  picks(b, [fast, gap, within], first) {
    const c = cut(b.close, first, FULL);
    const f = ema(c, fast!);
    const s = ema(c, fast! + gap!);
    const above = (i: number) => f[i]! > s[i]!;
    return mask(at(first, FULL), (i) => {
      if (!above(i)) return false;
      for (let k = 1; k <= within!; k++) if (i - k >= 0 && f[i - k]! <= s[i - k]!) return true;
      return false;
    });
  },
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
  picks(b, [fast, gap, signal, within], first) {
    const r = macd(cut(b.close, first, FULL), fast!, fast! + gap!, signal!);
    return mask(at(first, FULL), (i) => {
      if (!(r.hist[i]! > 0)) return false;
      for (let k = 1; k <= within!; k++) if (i - k >= 0 && r.hist[i - k]! <= 0) return true;
      return false;
    });
  },
};

const rsiOversold: Algorithm = {
  id: 'rsi_oversold',
  description: 'Mean reversion: Wilder RSI below a threshold.',
  params: [
    { name: 'period', min: 2, max: 30, step: 1, description: 'RSI period' },
    { name: 'below', min: 5, max: 50, step: 1, description: 'RSI threshold' },
  ],
  picks(b, [period, below], first) {
    const r = rsi(cut(b.close, first, FULL), period);
    return mask(at(first, FULL), (i) => r[i]! < below!);
  },
};

const bollingerLower: Algorithm = {
  id: 'bollinger_lower',
  description: 'Mean reversion: close below the lower Bollinger band.',
  params: [
    { name: 'period', min: 5, max: 40, step: 1, description: 'band SMA period' },
    { name: 'width', min: 1, max: 3, step: 0.25, description: 'band width in standard deviations' },
  ],
  picks(b, [period, width], first) {
    const history = period! + 1;
    const c = cut(b.close, first, history);
    const r = bbands(c, period, width);
    return mask(at(first, history), (i) => c[i]! < r.lower[i]!);
  },
};

const stochasticTurn: Algorithm = {
  id: 'stochastic_turn',
  description: 'Mean reversion: slow %K below a threshold and above %D (turning up).',
  params: [
    { name: 'fast_k', min: 5, max: 30, step: 1, description: 'fast %K window' },
    { name: 'slow_k', min: 1, max: 5, step: 1, description: 'slow %K smoothing' },
    { name: 'below', min: 5, max: 40, step: 1, description: '%K threshold' },
  ],
  picks(b, [fastK, slowK, below], first) {
    const history = fastK! + slowK! + 3;
    const r = stoch(
      cut(b.high, first, history),
      cut(b.low, first, history),
      cut(b.close, first, history),
      fastK,
      slowK,
      3,
    );
    return mask(at(first, history), (i) => r.k[i]! < below! && r.k[i]! > r.d[i]!);
  },
};

const zscoreDip: Algorithm = {
  id: 'zscore_dip',
  description: 'Mean reversion: close at least a number of standard deviations below its SMA.',
  params: [
    { name: 'period', min: 5, max: 60, step: 1, description: 'SMA and deviation window' },
    { name: 'z', min: -3.5, max: -0.5, step: 0.25, description: 'z-score at most' },
  ],
  picks(b, [period, z], first) {
    const history = period! + 1;
    const c = cut(b.close, first, history);
    const m = sma(c, period!);
    const sd = stddev(c, period!);
    return mask(at(first, history), (i) => sd[i]! > 0 && (c[i]! - m[i]!) / sd[i]! <= z!);
  },
};

const volumeSpike: Algorithm = {
  id: 'volume_spike',
  description: 'Accumulation: an up day on volume a multiple of its average over the previous days.',
  params: [
    { name: 'period', min: 5, max: 60, step: 1, description: 'average volume window' },
    { name: 'multiple', min: 1.5, max: 6, step: 0.25, description: 'volume over its average, at least' },
  ],
  picks(b, [period, multiple], first) {
    const history = period! + 2;
    const v = cut(b.volume, first, history);
    const o = cut(b.open, first, history);
    const c = cut(b.close, first, history);
    const avg = sma(v, period!);
    // The average ends the day before, so the spike is not part of its own baseline.
    return mask(
      at(first, history),
      (i) => c[i]! > o[i]! && avg[i - 1]! > 0 && v[i]! >= multiple! * avg[i - 1]!,
    );
  },
};

const rocMomentum: Algorithm = {
  id: 'roc_momentum',
  description: 'Momentum: rate of change over a window at least a percentage.',
  params: [
    { name: 'period', min: 2, max: 60, step: 1, description: 'ROC window' },
    { name: 'min_pct', min: 1, max: 40, step: 1, description: 'ROC in percent, at least' },
  ],
  picks(b, [period, minPct], first) {
    const history = period! + 1;
    const r = roc(cut(b.close, first, history), period);
    return mask(at(first, history), (i) => r[i]! >= minPct!);
  },
};

const donchianBreakout: Algorithm = {
  id: 'donchian_breakout',
  description: 'Breakout: close above the highest high of the previous days.',
  params: [{ name: 'period', min: 5, max: 100, step: 1, description: 'channel window' }],
  picks(b, [period], first) {
    const history = period! + 1;
    const c = cut(b.close, first, history);
    const r = donchian(cut(b.high, first, history), cut(b.low, first, history), period);
    // The channel ends the day before: today's high is part of today's channel.
    return mask(at(first, history), (i) => c[i]! > r.upper[i - 1]!);
  },
};

/** Every screening algorithm of the weekly search, in the order reports list them. */
export const ALGORITHMS: readonly Algorithm[] = [
  adxTrend,
  emaCross,
  macdCross,
  rsiOversold,
  bollingerLower,
  stochasticTurn,
  zscoreDip,
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
