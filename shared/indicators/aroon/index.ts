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
  aroonInto(high, low, period, out.up, out.down, null);
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
  aroonInto(high, low, period, out.up, out.down, out.osc);
  return out;
}

/**
 * Writes Aroon up/down and/or the oscillator from bar `period` on (null skips an output). The window is
 * period + 1 bars; TA-Lib's loop tracks the highest high and the lowest low together, latest wins on ties.
 */
export function aroonInto(
  high: Float64Array,
  low: Float64Array,
  period: number,
  up: Float64Array | null,
  down: Float64Array | null,
  osc: Float64Array | null,
): void {
  // The oscillator is TA-Lib's simplified product form factor * (index difference), bit-identical to
  // AROONOSC rather than up - down.
  const n = high.length;
  const factor = 100 / period;
  if (low.length === n && trackAroon(high, low, period, up, down, osc)) return;
  // A NaN in the highs or lows (or misaligned inputs): window extremes by the NaN-safe path (rolling.ts).
  const highIdx = rollingExtremeIndex(high, period + 1, 'max');
  const lowIdx = rollingExtremeIndex(low, period + 1, 'min');
  for (let i = period; i < n; i++) {
    if (up) up[i] = factor * (period - (i - highIdx[i]!));
    if (down) down[i] = factor * (period - (i - lowIdx[i]!));
    if (osc) osc[i] = factor * (highIdx[i]! - lowIdx[i]!);
  }
}

/** aroonInto's loop over NaN-free highs and lows; false, having stopped, on a NaN. */
function trackAroon(
  high: Float64Array,
  low: Float64Array,
  period: number,
  up: Float64Array | null,
  down: Float64Array | null,
  osc: Float64Array | null,
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
    if (up) up[today] = factor * (period - (today - hiIdx));
    if (down) down[today] = factor * (period - (today - loIdx));
    if (osc) osc[today] = factor * (hiIdx - loIdx);
  }
  return true;
}
