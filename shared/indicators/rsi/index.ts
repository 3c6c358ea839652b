import { checkPeriod, isZero, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before RSI's first value (TA-Lib: period). */
export function rsiLookback(period: number): number {
  return period;
}

/** Wilder's relative strength index, TA-Lib RSI; 0 when there was neither gain nor loss, as TA-Lib returns. */
export function rsi(close: Float64Array, period = 14, state?: KernelState): Float64Array {
  checkPeriod('rsi', period, 2);
  return wilderOscillator(close, period, false, state);
}

/**
 * The oscillator RSI and CMO share over Wilder-smoothed average gain and loss (seeded with the plain
 * averages of the first `period` moves): 100 * gain / (gain + loss), or with `netOfLoss` (CMO)
 * 100 * (gain - loss) / (gain + loss); 0 when there was neither, as TA-Lib returns. A flag rather
 * than a callback keeps the hot loop as fast as a hand-written copy.
 */
export function wilderOscillator(
  close: Float64Array,
  period: number,
  netOfLoss: boolean,
  state?: KernelState,
): Float64Array {
  const n = close.length;
  if (n <= period && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period);
  let gain = 0;
  let loss = 0;
  let first = period + 1;
  if (state?.resuming) {
    gain = state.take();
    loss = state.take();
    first = state.at + 1;
  } else {
    for (let i = 1; i <= period; i++) {
      const diff = close[i]! - close[i - 1]!;
      if (diff < 0) loss -= diff;
      else gain += diff;
    }
    gain /= period;
    loss /= period;
    out[period] = oscillator(gain, loss, netOfLoss);
  }
  for (let i = first; i < n; i++) {
    const diff = close[i]! - close[i - 1]!;
    // TA-Lib multiplies, adds, then divides; (prev*(p-1)+x)/p rounds differently from prev + (x-prev)/p.
    gain *= period - 1;
    loss *= period - 1;
    if (diff < 0) loss -= diff;
    else gain += diff;
    gain /= period;
    loss /= period;
    out[i] = oscillator(gain, loss, netOfLoss);
  }
  state?.put(gain).put(loss);
  return out;
}

function oscillator(gain: number, loss: number, netOfLoss: boolean): number {
  const total = gain + loss;
  return isZero(total) ? 0 : 100 * ((netOfLoss ? gain - loss : gain) / total);
}
