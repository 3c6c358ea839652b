import { ema, emaInto } from '../ema/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before TEMA's first value (TA-Lib: 3 * (period - 1)). */
export function temaLookback(period = 30): number {
  return 3 * (period - 1);
}

/** Triple exponential moving average, TA-Lib TEMA: 3 * EMA - 3 * EMA(EMA) + EMA(EMA(EMA)). @internal */
export function tema(values: Float64Array, period = 30): Float64Array {
  // Each EMA is seeded with the plain average of the first `period` values of the one before it, as TA-Lib
  // does in default compatibility; the combination keeps TA-Lib's grouping e3 + (3*e1 - 3*e2).
  checkPeriod('tema', period, 2);
  return temaOfEma(ema(values, period), period);
}

/** TEMA from the EMA of the same period already computed (ema(values, period)): tema's values. */
export function temaOfEma(e1: Float64Array, period = 30, state?: KernelState): Float64Array {
  checkPeriod('tema', period, 2);
  const n = e1.length;
  // EMA(EMA) is read only from bar 2 * (period - 1), where emaInto starts writing it.
  const e2 = new Float64Array(n);
  emaInto(e2, e1, period - 1, period, state);
  const out = nanPrefixArray(n, temaLookback(period));
  emaInto(out, e2, 2 * (period - 1), period, state);
  for (let i = temaLookback(period); i < n; i++) out[i] = out[i]! + (3 * e1[i]! - 3 * e2[i]!);
  return out;
}
