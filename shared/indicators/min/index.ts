import { checkPeriod, rollingExtreme } from '../rolling.ts';

/** Bars before MIN's first value (TA-Lib: period - 1). @internal */
export function minLookback(period: number): number {
  return period - 1;
}

/** Lowest value of the last `period` bars including the current one, TA-Lib MIN. */
export function min(values: Float64Array, period: number): Float64Array {
  checkPeriod('min', period);
  return rollingExtreme(values, period, 'min');
}
