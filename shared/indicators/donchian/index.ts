import { max } from '../max/index.ts';
import { min } from '../min/index.ts';
import { checkPeriod, nanArray } from '../rolling.ts';

/** Upper, lower and middle Donchian channel line, aligned with the input. */
export interface DonchianResult {
  upper: Float64Array;
  lower: Float64Array;
  middle: Float64Array;
}

/** Bars before the Donchian channel's first value (period - 1: the window includes the current bar). */
export function donchianLookback(period: number): number {
  return period - 1;
}

/** Donchian channel: highest high and lowest low of the last `period` bars (today included), and midpoint. */
export function donchian(high: Float64Array, low: Float64Array, period = 20): DonchianResult {
  // Including today is ChartSchool's and the ta library's default; a breakout rule that needs yesterday's
  // channel reads the previous bar.
  checkPeriod('donchian', period);
  const upper = max(high, period);
  const lower = min(low, period);
  const middle = nanArray(high.length);
  for (let i = period - 1; i < high.length; i++) middle[i] = (upper[i]! + lower[i]!) / 2;
  return { upper, lower, middle };
}

/** Where close sits in a channel: (close - lower) / (upper - lower), 0 at lower, 1 at upper; NaN if equal. */
export function channelPosition(close: Float64Array, upper: Float64Array, lower: Float64Array): Float64Array {
  // Works for any channel (Donchian, Keltner, Bollinger's %B); NaN wherever the channel is undefined or
  // has no width.
  const out = nanArray(close.length);
  for (let i = 0; i < close.length; i++) {
    const width = upper[i]! - lower[i]!;
    if (width > 0) out[i] = (close[i]! - lower[i]!) / width;
  }
  return out;
}
