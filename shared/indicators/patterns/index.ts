// Chart-pattern detectors over OHLC arrays (daily bars, or a symbol's rolling minute bars in the live
// stream). Each returns 1 on the bar a pattern completes (its confirming close), 0 elsewhere, NaN
// before its lookback and where the close is missing. Every detector reads only the `lookback` bars
// up to and including t, and only pivots already confirmed by t (see pivots.ts), so a value never
// changes when later bars arrive: no look-ahead, and window-local for the daily run.
import { nanPrefixArray } from '../rolling.ts';
import { pivotFlags } from './pivots.ts';

interface DoubleTopOptions {
  /** Bars on each side of a pivot (its confirmation delay). */
  pivot: number;
  /** Bars the whole pattern must fit in, t included. */
  lookback: number;
  /** Largest difference of the two tops, as a fraction of the higher one. */
  tolerance: number;
  /** Smallest drop from the higher top to the neckline (the low between the tops), as a fraction. */
  minDepth: number;
  /** Fewest bars between the two tops. */
  minSeparation: number;
}

/** Defaults for daily bars: tops within 3% of each other, at least 10 bars (two weeks) apart, a 3% dip between. */
const DOUBLE_TOP: DoubleTopOptions = {
  pivot: 3,
  lookback: 60,
  tolerance: 0.03,
  minDepth: 0.03,
  minSeparation: 10,
};

/**
 * Double top (bearish): two confirmed pivot highs A and B at least `minSeparation` bars apart, within
 * `tolerance` of each other and the highest highs from A to t; the neckline is the lowest low between
 * them and lies at least `minDepth` below the higher top. Fires on the first close below the neckline
 * once B is confirmed.
 */
export function doubleTop(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  o: DoubleTopOptions = DOUBLE_TOP,
): Float64Array {
  const pivots = pivotFlags(high, o.pivot, 'high');
  return scan(close, o.lookback, (t) => {
    const first = t - o.lookback + o.pivot;
    const b = latestPivot(pivots, t - o.pivot, first, () => true);
    if (b < 0) return false;
    for (let a = b - o.minSeparation; a >= first; a--) {
      if (!pivots[a]) continue;
      const top = Math.max(high[a]!, high[b]!);
      if (Math.abs(high[a]! - high[b]!) > o.tolerance * top) continue;
      let neck = Number.POSITIVE_INFINITY;
      for (let j = a + 1; j < b; j++) {
        // A higher high between the tops makes them no double top (nor any earlier A).
        if (high[j]! > top) return false;
        neck = Math.min(neck, low[j]!);
      }
      if (top - neck < o.minDepth * top) continue;
      for (let j = b + 1; j <= t; j++) if (high[j]! > top) return false;
      return firstCross(close, b + o.pivot, t, () => neck, -1);
    }
    return false;
  });
}

interface HeadShouldersOptions {
  /** Bars on each side of a pivot (its confirmation delay). */
  pivot: number;
  /** Bars the whole pattern must fit in, t included. */
  lookback: number;
  /** Largest difference of the two shoulders' lows, as a fraction of the higher one. */
  tolerance: number;
  /** Smallest depth of the head below the lower shoulder, as a fraction of that shoulder. */
  minHead: number;
}

/** Defaults for daily bars: shoulders within 5%, the head at least 3% below them, within 90 bars. */
const HEAD_SHOULDERS: HeadShouldersOptions = { pivot: 3, lookback: 90, tolerance: 0.05, minHead: 0.03 };

/**
 * Inverse head and shoulders (bullish): three confirmed pivot lows, left shoulder A, head B (the lowest
 * low from A to t) and right shoulder C, with the shoulders within `tolerance` of each other and the
 * head at least `minHead` below the lower shoulder. The neckline runs through the highest high between
 * A and B and the highest high between B and C. Fires on the first close above the neckline once C is
 * confirmed.
 */
export function inverseHeadShoulders(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  o: HeadShouldersOptions = HEAD_SHOULDERS,
): Float64Array {
  const pivots = pivotFlags(low, o.pivot, 'low');
  return scan(close, o.lookback, (t) => {
    const first = t - o.lookback + o.pivot;
    const c = latestPivot(pivots, t - o.pivot, first, () => true);
    if (c < 0) return false;
    const b = latestPivot(pivots, c - 1, first, (i) => low[i]! < low[c]!);
    if (b < 0) return false;
    const a = latestPivot(pivots, b - 1, first, (i) => low[i]! > low[b]!);
    if (a < 0) return false;
    const shoulders = Math.min(low[a]!, low[c]!);
    if (Math.abs(low[a]! - low[c]!) > o.tolerance * Math.max(low[a]!, low[c]!)) return false;
    if (shoulders - low[b]! < o.minHead * shoulders) return false;
    for (let j = a; j <= t; j++) if (low[j]! < low[b]!) return false;
    const n1 = argExtreme(high, a + 1, b, 1);
    const n2 = argExtreme(high, b + 1, c, 1);
    if (n1 < 0 || n2 < 0) return false;
    const slope = (high[n2]! - high[n1]!) / (n2 - n1);
    return firstCross(close, c + o.pivot, t, (j) => high[n1]! + slope * (j - n1), 1);
  });
}

interface FlagOptions {
  /** Longest pole, in bars from its start to its extreme. */
  maxPole: number;
  /** Smallest pole move, as a fraction of its starting price. */
  minPole: number;
  /** Shortest and longest flag (the consolidation after the pole's extreme), in bars. */
  minFlag: number;
  maxFlag: number;
  /** Largest retracement of the pole inside the flag, as a fraction of the pole's height. */
  maxRetrace: number;
}

/** Defaults for daily bars: an 8% pole within 10 bars, a 3-15 bar flag giving back at most half. */
const FLAG: FlagOptions = { maxPole: 10, minPole: 0.08, minFlag: 3, maxFlag: 15, maxRetrace: 0.5 };

/** Bars a flag detector reads before t: the longest flag, the pole's extreme and the longest pole. */
export function flagLookback(o: FlagOptions = FLAG): number {
  return o.maxFlag + 1 + o.maxPole;
}

/**
 * Bull flag: a pole rising at least `minPole` within `maxPole` bars to the highest high of the last
 * `maxFlag + 1` bars before t, then a flag of `minFlag`-`maxFlag` bars that gives back at most
 * `maxRetrace` of the pole and drifts down (its last close below its first). Fires when the close
 * breaks above the flag's highest high.
 */
export function bullFlag(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  o: FlagOptions = FLAG,
): Float64Array {
  return flag(high, low, close, o, 1);
}

/** Bear flag: the bull flag upside down (a falling pole, a flag drifting up, a close below its low). */
export function bearFlag(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  o: FlagOptions = FLAG,
): Float64Array {
  return flag(high, low, close, o, -1);
}

function flag(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  o: FlagOptions,
  side: 1 | -1,
): Float64Array {
  // The bull side reads highs for the pole's top and the flag's edge; the bear side the lows.
  const [tip, base] = side === 1 ? [high, low] : [low, high];
  return scan(close, flagLookback(o), (t) => {
    const p = argExtreme(tip, t - o.maxFlag - 1, t, side);
    if (p < 0 || t - 1 - p < o.minFlag) return false;
    const s = argExtreme(base, p - o.maxPole, p, side === 1 ? -1 : 1);
    if (s < 0) return false;
    const height = side * (tip[p]! - base[s]!);
    if (!(height >= o.minPole * base[s]!)) return false;
    for (let j = p + 1; j < t; j++) if (side * (tip[p]! - base[j]!) > o.maxRetrace * height) return false;
    if (!(side * (close[t - 1]! - close[p + 1]!) < 0)) return false;
    const edge = tip[argExtreme(tip, p + 1, t, side)]!;
    return side * (close[t]! - edge) > 0;
  });
}

/** Runs `fires(t)` for every bar from `lookback` on: 1 or 0, NaN where the close is missing. */
function scan(close: Float64Array, lookback: number, fires: (t: number) => boolean): Float64Array {
  const out = nanPrefixArray(close.length, lookback);
  for (let t = lookback; t < close.length; t++) {
    out[t] = Number.isNaN(close[t]!) ? Number.NaN : fires(t) ? 1 : 0;
  }
  return out;
}

/** The latest index in [from, to] that is a pivot and passes `accept`, or -1. */
function latestPivot(pivots: Uint8Array, to: number, from: number, accept: (i: number) => boolean): number {
  for (let i = to; i >= from; i--) if (pivots[i] && accept(i)) return i;
  return -1;
}

/** Index of the highest (`side` 1) or lowest (-1) value in [from, to), the first of equals, NaN skipped; -1 if none. */
function argExtreme(values: Float64Array, from: number, to: number, side: 1 | -1): number {
  let best = -1;
  for (let j = Math.max(0, from); j < to; j++) {
    if (Number.isNaN(values[j]!)) continue;
    if (best < 0 || side * values[j]! > side * values[best]!) best = j;
  }
  return best;
}

/**
 * Whether bar t is the first close beyond `level` (above for `side` 1, below for -1) from bar `from`
 * on: the pattern completes once, on its confirming close.
 */
function firstCross(
  close: Float64Array,
  from: number,
  t: number,
  level: (j: number) => number,
  side: 1 | -1,
): boolean {
  if (!(side * (close[t]! - level(t)) > 0)) return false;
  for (let j = from; j < t; j++) if (side * (close[j]! - level(j)) > 0) return false;
  return true;
}
