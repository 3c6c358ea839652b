import { ema, emaInto } from '../ema/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before DEMA's first value (TA-Lib: 2 * (period - 1)). */
export function demaLookback(period = 30): number {
  return 2 * (period - 1);
}

/** Double exponential moving average, TA-Lib DEMA: 2 * EMA - EMA(EMA). @internal */
export function dema(values: Float64Array, period = 30): Float64Array {
  // TA-Lib seeds each EMA with the plain average of its first `period` inputs: EMA(EMA) is seeded on the
  // first `period` EMA values (bars period-1 .. 2*period-2), which is what emaInto does from `period - 1`.
  checkPeriod('dema', period, 2);
  return demaOfEma(ema(values, period), period);
}

/** DEMA from the EMA of the same period already computed (ema(values, period)): dema's values. */
export function demaOfEma(e1: Float64Array, period = 30, state?: KernelState): Float64Array {
  checkPeriod('dema', period, 2);
  const n = e1.length;
  const out = nanPrefixArray(n, demaLookback(period));
  emaInto(out, e1, period - 1, period, state);
  for (let i = demaLookback(period); i < n; i++) out[i] = 2 * e1[i]! - out[i]!;
  return out;
}
