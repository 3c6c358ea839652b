import { aroonLookback } from '../aroon/index.ts';
import { checkPeriod, nanArray, rollingExtremeIndex } from '../rolling.ts';

/** Bars before AROONOSC's first value (TA-Lib: period, as AROON). */
export function aroonoscLookback(period = 14): number {
  return aroonLookback(period);
}

/** Aroon oscillator, TA-Lib AROONOSC: Aroon up - Aroon down = 100 / period * (highest-high bar - lowest-low bar). */
export function aroonosc(high: Float64Array, low: Float64Array, period = 14): Float64Array {
  // Same window (period + 1 bars) and latest-wins ties as AROON; TA-Lib's simplified product form
  // factor * (index difference) is used so values are bit-identical rather than up - down.
  checkPeriod('aroonosc', period, 2);
  const n = high.length;
  const out = nanArray(n);
  const highIdx = rollingExtremeIndex(high, period + 1, 'max');
  const lowIdx = rollingExtremeIndex(low, period + 1, 'min');
  const factor = 100 / period;
  for (let i = period; i < n; i++) out[i] = factor * (highIdx[i]! - lowIdx[i]!);
  return out;
}
