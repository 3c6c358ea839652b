import {
  checkPeriod,
  latestMaxIndex,
  latestMinIndex,
  nanPrefixArray,
  rollingExtremeIndex,
} from '../rolling.ts';

/** Aroon up and down, aligned with the input. */
export interface AroonResult {
  up: Float64Array;
  down: Float64Array;
}

/** Aroon up and down and the Aroon oscillator, aligned with the input. */
export interface AroonWithOscResult extends AroonResult {
  /** TA-Lib AROONOSC over the same period. */
  osc: Float64Array;
}

/** Bars before AROON's first value (TA-Lib: period). */
export function aroonLookback(period: number): number {
  return period;
}

/** Aroon, TA-Lib AROON: 100 * (period - bars since the highest high / lowest low) over period + 1 bars. */
export function aroon(high: Float64Array, low: Float64Array, period = 25): AroonResult {
  // On ties the most recent extreme counts, as in TA-Lib.
  checkPeriod('aroon', period, 2);
  const n = high.length;
  const out: AroonResult = { up: nanPrefixArray(n, period), down: nanPrefixArray(n, period) };
  if (low.length !== n || !trackAroon(high, low, period, out.up, out.down)) {
    aroonByDeque(high, low, period, out.up, out.down, null);
  }
  return out;
}

/** AROON and AROONOSC of the same period from one pass, each equal to its own kernel's output. */
export function aroonWithOsc(high: Float64Array, low: Float64Array, period = 25): AroonWithOscResult {
  checkPeriod('aroon', period, 2);
  const n = high.length;
  const out: AroonWithOscResult = {
    up: nanPrefixArray(n, period),
    down: nanPrefixArray(n, period),
    osc: nanPrefixArray(n, period),
  };
  aroonOscInto(high, low, period, out.up, out.down, out.osc);
  return out;
}

/**
 * Writes Aroon up, down and the oscillator from bar `period` on. The oscillator is TA-Lib's simplified
 * product form factor * (index difference), bit-identical to AROONOSC rather than up - down. `up` and
 * `down` may be `osc` itself: each bar's oscillator is written last.
 */
export function aroonOscInto(
  high: Float64Array,
  low: Float64Array,
  period: number,
  up: Float64Array,
  down: Float64Array,
  osc: Float64Array,
): void {
  if (low.length !== high.length || !trackAroonWithOsc(high, low, period, up, down, osc)) {
    aroonByDeque(high, low, period, up, down, osc);
  }
}

/** The NaN-safe path (a NaN in the highs or lows, or misaligned inputs): extremes by rolling.ts's deque. */
function aroonByDeque(
  high: Float64Array,
  low: Float64Array,
  period: number,
  up: Float64Array,
  down: Float64Array,
  osc: Float64Array | null,
): void {
  const n = high.length;
  const factor = 100 / period;
  const highIdx = rollingExtremeIndex(high, period + 1, 'max');
  const lowIdx = rollingExtremeIndex(low, period + 1, 'min');
  for (let i = period; i < n; i++) {
    up[i] = factor * (period - (i - highIdx[i]!));
    down[i] = factor * (period - (i - lowIdx[i]!));
    if (osc) osc[i] = factor * (highIdx[i]! - lowIdx[i]!);
  }
}

// The two loops below track the highest high and lowest low of each period + 1 bars together, as TA-Lib
// does (rolling.ts), and stop (false) on a NaN. They differ only in their outputs: one loop per output set
// keeps each loop's stores monomorphic.

function trackAroon(
  high: Float64Array,
  low: Float64Array,
  period: number,
  up: Float64Array,
  down: Float64Array,
): boolean {
  const n = high.length;
  const factor = 100 / period;
  let hiIdx = -1;
  let highest = 0;
  let loIdx = -1;
  let lowest = 0;
  for (let today = period, trailing = 0; today < n; today++, trailing++) {
    if (loIdx < trailing) {
      loIdx = latestMinIndex(low, trailing, today);
      if (loIdx < 0) return false;
      lowest = low[loIdx]!;
    } else {
      const v = low[today]!;
      if (v <= lowest) {
        loIdx = today;
        lowest = v;
      } else if (Number.isNaN(v)) {
        return false;
      }
    }
    if (hiIdx < trailing) {
      hiIdx = latestMaxIndex(high, trailing, today);
      if (hiIdx < 0) return false;
      highest = high[hiIdx]!;
    } else {
      const v = high[today]!;
      if (v >= highest) {
        hiIdx = today;
        highest = v;
      } else if (Number.isNaN(v)) {
        return false;
      }
    }
    up[today] = factor * (period - (today - hiIdx));
    down[today] = factor * (period - (today - loIdx));
  }
  return true;
}

function trackAroonWithOsc(
  high: Float64Array,
  low: Float64Array,
  period: number,
  up: Float64Array,
  down: Float64Array,
  osc: Float64Array,
): boolean {
  const n = high.length;
  const factor = 100 / period;
  let hiIdx = -1;
  let highest = 0;
  let loIdx = -1;
  let lowest = 0;
  for (let today = period, trailing = 0; today < n; today++, trailing++) {
    if (loIdx < trailing) {
      loIdx = latestMinIndex(low, trailing, today);
      if (loIdx < 0) return false;
      lowest = low[loIdx]!;
    } else {
      const v = low[today]!;
      if (v <= lowest) {
        loIdx = today;
        lowest = v;
      } else if (Number.isNaN(v)) {
        return false;
      }
    }
    if (hiIdx < trailing) {
      hiIdx = latestMaxIndex(high, trailing, today);
      if (hiIdx < 0) return false;
      highest = high[hiIdx]!;
    } else {
      const v = high[today]!;
      if (v >= highest) {
        hiIdx = today;
        highest = v;
      } else if (Number.isNaN(v)) {
        return false;
      }
    }
    up[today] = factor * (period - (today - hiIdx));
    down[today] = factor * (period - (today - loIdx));
    osc[today] = factor * (hiIdx - loIdx);
  }
  return true;
}
