import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';
import { rsi, rsiLookback } from '../rsi/index.ts';
import { smaInto } from '../sma/index.ts';
import type { KernelState } from '../state.ts';
import { fastStochInto } from '../stoch/index.ts';

/** Fast %K and fast %D of the RSI, aligned with the input. */
export interface StochRsiResult {
  k: Float64Array;
  d: Float64Array;
}

/** Bars before STOCHRSI's first value (TA-Lib, SMA %D: timePeriod + fastK-1 + fastD-1, for both lines). */
export function stochRsiLookback(timePeriod = 14, fastKPeriod = 5, fastDPeriod = 3): number {
  return rsiLookback(timePeriod) + (fastKPeriod - 1) + (fastDPeriod - 1);
}

/**
 * Stochastic RSI, TA-Lib STOCHRSI with an SMA %D: STOCHF(fastK, fastD) applied to RSI(timePeriod).
 * @internal
 */
export function stochRsi(
  close: Float64Array,
  timePeriod = 14,
  fastKPeriod = 5,
  fastDPeriod = 3,
): StochRsiResult {
  // %K = 100 * (rsi - lowest rsi) / (highest - lowest) over fastK bars, 0 when the RSI range is 0 (as
  // TA-Lib's STOCHF); %D = SMA(%K, fastD). %K is reported only from the bar where %D starts, as TA-Lib does.
  // Checked here too, so a bad period is named for stochRsi rather than for the RSI it feeds.
  checkPeriod('stochRsi timePeriod', timePeriod, 2);
  return stochRsiOfRsi(rsi(close, timePeriod), timePeriod, fastKPeriod, fastDPeriod);
}

/** STOCHRSI from an RSI line already computed with `timePeriod` (rsi(close, timePeriod)): stochRsi's values. */
export function stochRsiOfRsi(
  line: Float64Array,
  timePeriod = 14,
  fastKPeriod = 5,
  fastDPeriod = 3,
  state?: KernelState,
): StochRsiResult {
  checkPeriod('stochRsi timePeriod', timePeriod, 2);
  checkPeriod('stochRsi fastK', fastKPeriod);
  checkPeriod('stochRsi fastD', fastDPeriod);
  const n = line.length;
  const begin = stochRsiLookback(timePeriod, fastKPeriod, fastDPeriod);
  // The RSI bars the first %D after a state reads (its %K values' windows).
  const kept = fastKPeriod + fastDPeriod - 2;
  if (n <= begin && !state?.resuming) {
    for (let j = 0; j <= kept; j++) state?.put(Number.NaN);
    return { k: nanArray(n), d: nanArray(n) };
  }
  // Both lines are written from `begin` on; the fast %K before bar first + fastK-1 is never read.
  const out: StochRsiResult = { k: nanPrefixArray(n, begin), d: nanPrefixArray(n, begin) };
  state?.keep(line, kept);
  // STOCHF over the defined part of the RSI only (resuming: over the RSI bars the state brought back on):
  // the RSI is its own close, high and low. %K is window-local; %D's running sum resumes.
  const first = state?.resuming ? state.at - kept + 1 : rsiLookback(timePeriod);
  const defined = line.subarray(first);
  const fast = new Float64Array(n);
  fastStochInto(fast.subarray(first), defined, defined, defined, fastKPeriod);
  smaInto(out.d, fast, first + fastKPeriod - 1, fastDPeriod, state);
  for (let i = begin; i < n; i++) out.k[i] = fast[i]!;
  return out;
}
