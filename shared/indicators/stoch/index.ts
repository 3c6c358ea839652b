import { checkPeriod, nanArray, rollingExtreme } from '../rolling.ts';
import { smaInto } from '../sma/index.ts';

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
): StochResult {
  checkPeriod('stoch fastK', fastK);
  checkPeriod('stoch slowK', slowK);
  checkPeriod('stoch slowD', slowD);
  const n = close.length;
  const out: StochResult = { k: nanArray(n), d: nanArray(n) };
  const begin = stochLookback(fastK, slowK, slowD);
  if (n <= begin) return out;

  const highest = rollingExtreme(high, fastK, 'max');
  const lowest = rollingExtreme(low, fastK, 'min');
  const fast = nanArray(n);
  for (let i = fastK - 1; i < n; i++) {
    // 0 on a zero range, as TA-Lib. Dividing by range/100 (not multiplying by 100) keeps TA-Lib's rounding.
    const diff = (highest[i]! - lowest[i]!) / 100;
    fast[i] = diff !== 0 ? (close[i]! - lowest[i]!) / diff : 0;
  }
  smaInto(out.k, fast, fastK - 1, slowK);
  smaInto(out.d, out.k, fastK - 1 + slowK - 1, slowD);
  // TA-Lib outputs %K only from the bar where %D starts.
  out.k.fill(Number.NaN, 0, begin);
  return out;
}
