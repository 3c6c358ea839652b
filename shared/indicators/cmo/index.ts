import { checkPeriod, isZero, nanArray, nanPrefixArray } from '../rolling.ts';

/** Bars before CMO's first value (TA-Lib, default compatibility: period). */
export function cmoLookback(period = 14): number {
  return period;
}

/** Chande momentum oscillator, TA-Lib CMO (default compatibility): 100 * (gain - loss) / (gain + loss). */
export function cmo(close: Float64Array, period = 14): Float64Array {
  // RSI's Wilder-smoothed average gain and loss (seeded with plain averages of the first `period` moves);
  // 0 when there was neither gain nor loss, as TA-Lib returns. Metastock compatibility (one bar earlier) is
  // not offered.
  checkPeriod('cmo', period, 2);
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
  out[period] = cmoValue(gain, loss);
  for (let i = period + 1; i < n; i++) {
    const diff = close[i]! - close[i - 1]!;
    // TA-Lib's order: multiply by period-1, add today's move, divide by period.
    gain *= period - 1;
    loss *= period - 1;
    if (diff < 0) loss -= diff;
    else gain += diff;
    gain /= period;
    loss /= period;
    out[i] = cmoValue(gain, loss);
  }
  return out;
}

function cmoValue(gain: number, loss: number): number {
  const total = gain + loss;
  return isZero(total) ? 0 : 100 * ((gain - loss) / total);
}
