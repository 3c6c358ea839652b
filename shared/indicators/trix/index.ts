import { ema, emaInto } from '../ema/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before TRIX's first value (TA-Lib: 3 * (period - 1) + 1). */
export function trixLookback(period = 30): number {
  return 3 * (period - 1) + 1;
}

/** TRIX, TA-Lib TRIX: 1-bar rate of change, in percent, of EMA(EMA(EMA(values))); 0 where the previous is 0. */
export function trix(values: Float64Array, period = 30, state?: KernelState): Float64Array {
  // Each EMA is seeded with the plain average of the first `period` values of the one before it (TA-Lib's
  // default compatibility); the percent change is (today / yesterday - 1) * 100 as TA-Lib's ROC computes it.
  checkPeriod('trix', period);
  const n = values.length;
  const e1 = ema(values, period, state);
  // Each inner EMA is read only from the bar where emaInto starts writing it.
  const e2 = new Float64Array(n);
  emaInto(e2, e1, period - 1, period, state);
  const e3 = new Float64Array(n);
  emaInto(e3, e2, 2 * (period - 1), period, state);
  // The rate of change reads the bar before: resuming, the state brings it.
  state?.keep(e3, 1);
  const out = nanPrefixArray(n, trixLookback(period));
  for (let i = trixLookback(period); i < n; i++) {
    const prev = e3[i - 1]!;
    out[i] = prev !== 0 ? (e3[i]! / prev - 1) * 100 : 0;
  }
  return out;
}
