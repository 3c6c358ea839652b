import { emaInto } from '../ema/index.ts';
import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

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
export function macd(close: Float64Array, fast = 12, slow = 26, signal = 9, state?: KernelState): MacdResult {
  // Like TA-Lib, the fast EMA is seeded on the `fast` bars that end where the slow EMA's seed ends (not on
  // the first `fast` bars), so both EMAs start on the same bar; all three outputs start with the signal line.
  checkPeriod('macd fast', fast, 2);
  checkPeriod('macd slow', slow, 2);
  checkPeriod('macd signal', signal);
  // TA-Lib swaps the periods when given in the wrong order.
  const slowPeriod = Math.max(fast, slow);
  const fastPeriod = Math.min(fast, slow);
  const n = close.length;
  const begin = macdLookback(fastPeriod, slowPeriod, signal);
  if (n <= begin && !state?.resuming) {
    for (let k = 0; k < 3; k++) state?.put(Number.NaN);
    return { macd: nanArray(n), signal: nanArray(n), hist: nanArray(n) };
  }
  // No temporaries: the MACD line is built in its output from bar slowPeriod - 1 (the signal EMA is seeded
  // there) and its head NaN-filled last. Each EMA step is emaInto's, so the values are the same.
  const out: MacdResult = {
    macd: new Float64Array(n),
    signal: nanPrefixArray(n, begin),
    hist: nanPrefixArray(n, begin),
  };
  const line = out.macd;
  const seedEnd = slowPeriod - 1;
  let slowEma = 0;
  let fastEma = 0;
  let first = slowPeriod;
  if (state?.resuming) {
    slowEma = state.take();
    fastEma = state.take();
    first = state.at + 1;
  } else {
    for (let i = 0; i <= seedEnd; i++) slowEma += close[i]!;
    slowEma /= slowPeriod;
    for (let i = slowPeriod - fastPeriod; i <= seedEnd; i++) fastEma += close[i]!;
    fastEma /= fastPeriod;
    line[seedEnd] = fastEma - slowEma;
  }
  const slowK = 2 / (slowPeriod + 1);
  const fastK = 2 / (fastPeriod + 1);
  for (let i = first; i < n; i++) {
    const v = close[i]!;
    slowEma = (v - slowEma) * slowK + slowEma;
    fastEma = (v - fastEma) * fastK + fastEma;
    line[i] = fastEma - slowEma;
  }
  state?.put(slowEma).put(fastEma);
  emaInto(out.signal, line, seedEnd, signal, state);
  for (let i = begin; i < n; i++) out.hist[i] = line[i]! - out.signal[i]!;
  // Resuming, the line exists from the state's next bar only.
  line.fill(Number.NaN, 0, Math.max(begin, first));
  return out;
}
