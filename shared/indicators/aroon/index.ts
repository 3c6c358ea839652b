import { checkPeriod, nanArray, rollingExtremeIndex } from '../rolling.ts';

/** Aroon up and down, aligned with the input. */
export interface AroonResult {
  up: Float64Array;
  down: Float64Array;
}

/** Bars before AROON's first value (TA-Lib: period). */
export function aroonLookback(period: number): number {
  return period;
}

/** Aroon, TA-Lib AROON: 100 * (period - bars since the highest high / lowest low) over period + 1 bars. */
export function aroon(high: Float64Array, low: Float64Array, period = 25): AroonResult {
  // On ties the most recent extreme counts, as in TA-Lib (rollingExtremeIndex keeps the latest).
  checkPeriod('aroon', period, 2);
  const n = high.length;
  const out: AroonResult = { up: nanArray(n), down: nanArray(n) };
  const highIdx = rollingExtremeIndex(high, period + 1, 'max');
  const lowIdx = rollingExtremeIndex(low, period + 1, 'min');
  const factor = 100 / period;
  for (let i = period; i < n; i++) {
    out.up[i] = factor * (period - (i - highIdx[i]!));
    out.down[i] = factor * (period - (i - lowIdx[i]!));
  }
  return out;
}
