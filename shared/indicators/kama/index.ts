import { checkPeriod, isZero, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before KAMA's first value (TA-Lib: period). @internal */
export function kamaLookback(period = 30): number {
  return period;
}

/** Kaufman adaptive moving average, TA-Lib KAMA: an EMA whose factor follows the efficiency ratio (2..30 bars). */
export function kama(values: Float64Array, period = 30, state?: KernelState): Float64Array {
  // TA-Lib seeds with the previous bar's value, so the first KAMA (bar `period`) is one adaptive step from
  // values[period - 1]. The efficiency ratio is 1 when the summed bar-to-bar moves are zero (up to TA-Lib's
  // epsilon) or not above the signed net move, exactly as TA-Lib tests it.
  checkPeriod('kama', period, 2);
  const n = values.length;
  if (n <= period && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN).put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period);
  const fastest = 2 / (2 + 1);
  const slowest = 2 / (30 + 1);
  const constDiff = fastest - slowest;

  let sumRoc1 = 0;
  let prev: number;
  let trailingValue: number;
  let first = period + 1;
  if (state?.resuming) {
    sumRoc1 = state.take();
    prev = state.take();
    trailingValue = state.take();
    first = state.at + 1;
  } else {
    for (let i = 0; i < period; i++) sumRoc1 += Math.abs(values[i]! - values[i + 1]!);
    prev = values[period - 1]!;
    trailingValue = values[0]!;
    prev = kamaStep(values[period]!, prev, values[period]! - trailingValue, sumRoc1, constDiff, slowest);
    out[period] = prev;
  }
  for (let i = first; i < n; i++) {
    const v = values[i]!;
    const trailing = values[i - period]!;
    // Drop the move that left the window, add today's, in TA-Lib's order.
    sumRoc1 -= Math.abs(trailingValue - trailing);
    sumRoc1 += Math.abs(v - values[i - 1]!);
    trailingValue = trailing;
    prev = kamaStep(v, prev, v - trailing, sumRoc1, constDiff, slowest);
    out[i] = prev;
  }
  state?.put(sumRoc1).put(prev).put(trailingValue);
  return out;
}

function kamaStep(
  value: number,
  prev: number,
  periodRoc: number,
  sumRoc1: number,
  constDiff: number,
  slowest: number,
): number {
  const er = sumRoc1 <= periodRoc || isZero(sumRoc1) ? 1 : Math.abs(periodRoc / sumRoc1);
  let sc = er * constDiff + slowest;
  sc *= sc;
  return (value - prev) * sc + prev;
}
