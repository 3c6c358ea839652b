import { checkPeriod, isZeroOrNegative } from '../rolling.ts';
import type { KernelState } from '../state.ts';
import { variance } from '../var/index.ts';

/** Bars before STDDEV's first value (TA-Lib: period - 1). @internal */
export function stddevLookback(period: number): number {
  return period - 1;
}

/** Rolling population standard deviation times `nbDev`, TA-Lib STDDEV. */
export function stddev(values: Float64Array, period: number, nbDev = 1, state?: KernelState): Float64Array {
  // TA-Lib's STDDEV is sqrt(VAR), 0 where the running-sum variance is below its epsilon.
  checkPeriod('stddev', period, 2);
  const out = variance(values, period, state);
  for (let i = period - 1; i < out.length; i++) {
    const v = out[i]!;
    out[i] = isZeroOrNegative(v) ? 0 : Math.sqrt(v) * nbDev;
  }
  return out;
}
