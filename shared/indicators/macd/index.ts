import { emaInto } from '../ema/index.ts';
import { checkPeriod, nanArray } from '../rolling.ts';

/** MACD line, signal line and histogram, aligned with the input. */
export interface MacdResult {
  macd: Float64Array;
  signal: Float64Array;
  hist: Float64Array;
}

/** Bars before MACD's first value (TA-Lib: (slow - 1) + (signal - 1), the same for all three outputs). */
export function macdLookback(fast = 12, slow = 26, signal = 9): number {
  return Math.max(fast, slow) - 1 + (signal - 1);
}

/** Moving average convergence/divergence, TA-Lib MACD: fast - slow EMA, its EMA signal line, their difference. */
export function macd(close: Float64Array, fast = 12, slow = 26, signal = 9): MacdResult {
  // Like TA-Lib, the fast EMA is seeded on the `fast` bars that end where the slow EMA's seed ends (not on
  // the first `fast` bars), so both EMAs start on the same bar; all three outputs start with the signal line.
  checkPeriod('macd fast', fast, 2);
  checkPeriod('macd slow', slow, 2);
  checkPeriod('macd signal', signal);
  // TA-Lib swaps the periods when given in the wrong order.
  const slowPeriod = Math.max(fast, slow);
  const fastPeriod = Math.min(fast, slow);
  const n = close.length;
  const out: MacdResult = { macd: nanArray(n), signal: nanArray(n), hist: nanArray(n) };
  const begin = macdLookback(fastPeriod, slowPeriod, signal);
  if (n <= begin) return out;

  const slowEma = nanArray(n);
  const fastEma = nanArray(n);
  emaInto(slowEma, close, 0, slowPeriod);
  emaInto(fastEma, close, slowPeriod - fastPeriod, fastPeriod);
  const line = fastEma; // reused in place: fastEma is not needed once the difference is taken
  for (let i = slowPeriod - 1; i < n; i++) line[i] = fastEma[i]! - slowEma[i]!;
  emaInto(out.signal, line, slowPeriod - 1, signal);
  for (let i = begin; i < n; i++) {
    out.macd[i] = line[i]!;
    out.hist[i] = line[i]! - out.signal[i]!;
  }
  return out;
}
