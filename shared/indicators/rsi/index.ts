import { checkPeriod, isZero, nanArray, nanPrefixArray } from '../rolling.ts';

/** Bars before RSI's first value (TA-Lib: period). */
export function rsiLookback(period: number): number {
  return period;
}

/** Wilder's relative strength index, TA-Lib RSI; 0 when there was neither gain nor loss, as TA-Lib returns. */
export function rsi(close: Float64Array, period = 14): Float64Array {
  // Seeded with the plain averages of the first `period` gains and losses, then Wilder-smoothed.
  checkPeriod('rsi', period, 2);
  const n = close.length;
  if (n <= period) return nanArray(n);
  const out = nanPrefixArray(n, period);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const diff = close[i]! - close[i - 1]!;
    if (diff < 0) loss -= diff;
    else gain += diff;
  }
  gain /= period;
  loss /= period;
  out[period] = rsiValue(gain, loss);
  for (let i = period + 1; i < n; i++) {
    const diff = close[i]! - close[i - 1]!;
    // TA-Lib multiplies, adds, then divides; (prev*(p-1)+x)/p rounds differently from prev + (x-prev)/p.
    gain *= period - 1;
    loss *= period - 1;
    if (diff < 0) loss -= diff;
    else gain += diff;
    gain /= period;
    loss /= period;
    out[i] = rsiValue(gain, loss);
  }
  return out;
}

function rsiValue(gain: number, loss: number): number {
  const total = gain + loss;
  return isZero(total) ? 0 : 100 * (gain / total);
}
