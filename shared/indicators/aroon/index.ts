import { checkPeriod, nanPrefixArray, rollingExtremeIndices } from '../rolling.ts';

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

/** Bars before AROON's first value (TA-Lib: period). @internal */
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
  aroonInto(high, low, period, up, down, osc);
}

/** Aroon up and down (and the oscillator if `osc`) from the extremes' indices of each period + 1 bars. */
function aroonInto(
  high: Float64Array,
  low: Float64Array,
  period: number,
  up: Float64Array,
  down: Float64Array,
  osc: Float64Array | null,
): void {
  // The highest high and lowest low tracked together, as TA-Lib does (rolling.ts).
  const n = high.length;
  const factor = 100 / period;
  const { high: hiIdx, low: loIdx } = rollingExtremeIndices(high, low, period + 1);
  if (osc) {
    for (let i = period; i < n; i++) {
      up[i] = factor * (period - (i - hiIdx[i]!));
      down[i] = factor * (period - (i - loIdx[i]!));
      osc[i] = factor * (hiIdx[i]! - loIdx[i]!);
    }
  } else {
    for (let i = period; i < n; i++) {
      up[i] = factor * (period - (i - hiIdx[i]!));
      down[i] = factor * (period - (i - loIdx[i]!));
    }
  }
}
