// Incremental indicators for the live stream, one bar or trade at a time, as plain JSON state (so a consumer's
// state can be snapshotted with its acknowledgements and restored after a crash). RSI, MACD and ATR follow
// the batch kernels' TA-Lib definitions and seeding exactly (shared/indicators/rsi, macd, atr); the tests
// compare them value by value.

/** Wilder RSI state: the first `period` moves seed plain averages, then Wilder smoothing. */
export interface RsiState {
  period: number;
  prev: number | null;
  seen: number;
  gain: number;
  loss: number;
  value: number | null;
}

/** A fresh RSI state. */
export function newRsi(period = 14): RsiState {
  return { period, prev: null, seen: 0, gain: 0, loss: 0, value: null };
}

/** Adds one close; the RSI once `period` moves were seen (TA-Lib RSI). */
export function stepRsi(s: RsiState, close: number): number | null {
  if (s.prev === null) {
    s.prev = close;
    return null;
  }
  const diff = close - s.prev;
  s.prev = close;
  s.seen++;
  const p = s.period;
  if (s.seen <= p) {
    if (diff < 0) s.loss -= diff;
    else s.gain += diff;
    if (s.seen < p) return null;
    s.gain /= p;
    s.loss /= p;
  } else {
    // TA-Lib's operation order (multiply, add, divide), as the batch kernel.
    s.gain *= p - 1;
    s.loss *= p - 1;
    if (diff < 0) s.loss -= diff;
    else s.gain += diff;
    s.gain /= p;
    s.loss /= p;
  }
  const total = s.gain + s.loss;
  s.value = Math.abs(total) < 1e-14 ? 0 : 100 * (s.gain / total);
  return s.value;
}

/** MACD state: closes buffered until the slow EMA's seed, then both EMAs and the signal line's seed. */
export interface MacdState {
  fast: number;
  slow: number;
  signal: number;
  seed: number[];
  fastEma: number | null;
  slowEma: number | null;
  lines: number[];
  signalEma: number | null;
  hist: number | null;
}

/** A fresh MACD(12, 26, 9) state. */
export function newMacd(fast = 12, slow = 26, signal = 9): MacdState {
  return {
    fast,
    slow,
    signal,
    seed: [],
    fastEma: null,
    slowEma: null,
    lines: [],
    signalEma: null,
    hist: null,
  };
}

/** Adds one close; the histogram (MACD line minus signal line) once the signal line exists (TA-Lib MACD). */
export function stepMacd(s: MacdState, close: number): number | null {
  let line: number;
  if (s.slowEma === null || s.fastEma === null) {
    s.seed.push(close);
    if (s.seed.length < s.slow) return null;
    // TA-Lib seeds the slow EMA on the first `slow` closes and the fast one on the `fast` closes ending there.
    s.slowEma = s.seed.reduce((a, b) => a + b, 0) / s.slow;
    s.fastEma = s.seed.slice(s.slow - s.fast).reduce((a, b) => a + b, 0) / s.fast;
    s.seed = [];
    line = s.fastEma - s.slowEma;
  } else {
    s.slowEma = (close - s.slowEma) * (2 / (s.slow + 1)) + s.slowEma;
    s.fastEma = (close - s.fastEma) * (2 / (s.fast + 1)) + s.fastEma;
    line = s.fastEma - s.slowEma;
  }
  if (s.signalEma === null) {
    s.lines.push(line);
    if (s.lines.length < s.signal) return null;
    s.signalEma = s.lines.reduce((a, b) => a + b, 0) / s.signal;
    s.lines = [];
  } else s.signalEma = (line - s.signalEma) * (2 / (s.signal + 1)) + s.signalEma;
  s.hist = line - s.signalEma;
  return s.hist;
}

/** Wilder ATR state (TA-Lib ATR: the mean of the first `period` true ranges, then Wilder smoothing). */
export interface AtrState {
  period: number;
  prevClose: number | null;
  seen: number;
  sum: number;
  value: number | null;
}

/** A fresh ATR state. */
export function newAtr(period = 14): AtrState {
  return { period, prevClose: null, seen: 0, sum: 0, value: null };
}

/** Adds one bar; the ATR once `period` true ranges were seen (the first bar has no previous close). */
export function stepAtr(s: AtrState, high: number, low: number, close: number): number | null {
  const prev = s.prevClose;
  s.prevClose = close;
  if (prev === null) return null;
  const tr = Math.max(high - low, Math.abs(high - prev), Math.abs(low - prev));
  s.seen++;
  if (s.seen <= s.period) {
    s.sum += tr;
    if (s.seen === s.period) s.value = s.sum / s.period;
  } else s.value = ((s.value as number) * (s.period - 1) + tr) / s.period;
  return s.value;
}

/** The last `size` closes, oldest first once full (a ring over a plain array). */
export interface Window {
  size: number;
  values: number[];
  next: number;
}

/** A fresh window of `size` values. */
export function newWindow(size: number): Window {
  return { size, values: [], next: 0 };
}

/** Adds a value, dropping the oldest once full. */
export function pushWindow(w: Window, v: number): void {
  if (w.values.length < w.size) w.values.push(v);
  else {
    w.values[w.next] = v;
    w.next = (w.next + 1) % w.size;
  }
}

/** The value `back` steps before the newest (0: the newest); null when not seen yet. */
export function windowAt(w: Window, back: number): number | null {
  const n = w.values.length;
  if (back >= n) return null;
  const newest = n < w.size ? n - 1 : (w.next - 1 + w.size) % w.size;
  return w.values[(newest - back + w.size) % w.size] as number;
}

/**
 * z-score of the newest value over the full window: (x - mean) / population stddev, as the catalogue's
 * zscore_20; null before the window is full or without spread.
 */
export function windowZscore(w: Window): number | null {
  if (w.values.length < w.size) return null;
  let sum = 0;
  for (const v of w.values) sum += v;
  const mean = sum / w.size;
  let sq = 0;
  for (const v of w.values) sq += (v - mean) * (v - mean);
  const sd = Math.sqrt(sq / w.size);
  if (!(sd > 1e-12)) return null;
  return ((windowAt(w, 0) as number) - mean) / sd;
}

/**
 * Order-flow imbalance state. Definition: each trade is classified by the quote rule: above the quote's
 * midpoint a buy (the buyer crossed the spread), below it a sell; at the midpoint (or without a quote) by
 * the tick rule: above the previous trade's price a buy, below it a sell, at the same price the previous
 * trade's class (Lee & Ready, 1991). A side the feed reports is used as given. The imbalance is
 * (buy volume - sell volume) / (buy + sell volume) over exponentially decaying volumes with a half-life of
 * `halfLife` trades, in [-1, 1].
 */
export interface FlowState {
  halfLife: number;
  buy: number;
  sell: number;
  lastPrice: number | null;
  lastSide: 1 | -1 | 0;
}

/** A fresh order-flow state. */
export function newFlow(halfLife = 50): FlowState {
  return { halfLife, buy: 0, sell: 0, lastPrice: null, lastSide: 0 };
}

/** The side of a trade by the quote rule, then the tick rule (see FlowState): 1 buy, -1 sell, 0 unknown. */
export function classifyTrade(
  price: number,
  bid: number | null,
  ask: number | null,
  lastPrice: number | null,
  lastSide: 1 | -1 | 0,
): 1 | -1 | 0 {
  if (bid !== null && ask !== null) {
    const mid = (bid + ask) / 2;
    if (price > mid) return 1;
    if (price < mid) return -1;
  }
  if (lastPrice === null) return 0;
  if (price > lastPrice) return 1;
  if (price < lastPrice) return -1;
  return lastSide;
}

/** Adds one trade (side 1 buy, -1 sell, 0 unclassified); the imbalance, or null before any classified volume. */
export function stepFlow(s: FlowState, price: number, size: number, side: 1 | -1 | 0): number | null {
  const keep = 0.5 ** (1 / s.halfLife);
  s.buy *= keep;
  s.sell *= keep;
  if (side === 1) s.buy += size;
  else if (side === -1) s.sell += size;
  s.lastPrice = price;
  if (side !== 0) s.lastSide = side;
  return flowImbalance(s);
}

/** The current imbalance in [-1, 1]; null before any classified volume. */
export function flowImbalance(s: FlowState): number | null {
  const total = s.buy + s.sell;
  return total > 0 ? (s.buy - s.sell) / total : null;
}
