import { checkPeriod, nanArray, nanPrefixArray, rollingExtremeIndices } from '../rolling.ts';
import { smaInto } from '../sma/index.ts';
import type { KernelState } from '../state.ts';

/** Slow %K and slow %D, aligned with the input. */
export interface StochResult {
  k: Float64Array;
  d: Float64Array;
}

/** Bars before STOCH's first value (TA-Lib, SMA smoothing: fastK-1 + slowK-1 + slowD-1, for both lines). */
export function stochLookback(fastK = 14, slowK = 3, slowD = 3): number {
  return fastK - 1 + (slowK - 1) + (slowD - 1);
}

/** Slow stochastic, TA-Lib STOCH with SMA smoothing: %K = SMA(fast %K, slowK), %D = SMA(%K, slowD). */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastK = 14,
  slowK = 3,
  slowD = 3,
  state?: KernelState,
): StochResult {
  checkPeriod('stoch fastK', fastK);
  checkPeriod('stoch slowK', slowK);
  checkPeriod('stoch slowD', slowD);
  const n = close.length;
  const begin = stochLookback(fastK, slowK, slowD);
  if (n <= begin && !state?.resuming) {
    state?.put(Number.NaN);
    for (let j = 0; j < slowD; j++) state?.put(Number.NaN);
    return { k: nanArray(n), d: nanArray(n) };
  }
  // %K is written from bar fastK-1 + slowK-1 by its SMA and NaN-filled below that at the end; %D's SMA
  // writes every bar from `begin`. The fast %K before bar fastK-1 is never read.
  const out: StochResult = { k: new Float64Array(n), d: nanPrefixArray(n, begin) };
  const fast = new Float64Array(n);
  fastStochInto(fast, high, low, close, fastK);
  // The fast %K is window-local (computed over every bar given); both smoothings run on from a state.
  smaInto(out.k, fast, fastK - 1, slowK, state);
  state?.keep(out.k, slowD - 1);
  smaInto(out.d, out.k, fastK - 1 + slowK - 1, slowD, state);
  // TA-Lib outputs %K only from the bar where %D starts.
  out.k.fill(Number.NaN, 0, begin);
  return out;
}

/** Fast %K into `fast[period - 1..]`: TA-Lib's loop, the highest high and lowest low tracked together. */
export function fastStochInto(
  fast: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): void {
  const n = close.length;
  // Indices of the highest high and lowest low of each window, tracked together as TA-Lib does (rolling.ts).
  const { high: hiIdx, low: loIdx } = rollingExtremeIndices(high, low, period);
  for (let i = period - 1; i < n; i++) fast[i] = fastStochValue(high[hiIdx[i]!]!, low[loIdx[i]!]!, close[i]!);
}

function fastStochValue(highest: number, lowest: number, close: number): number {
  // 0 on a zero range, as TA-Lib. Dividing by range/100 (not multiplying by 100) keeps TA-Lib's rounding.
  const diff = (highest - lowest) / 100;
  return diff !== 0 ? (close - lowest) / diff : 0;
}
