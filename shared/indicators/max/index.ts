import { checkPeriod, rollingExtreme } from '../rolling.ts';

/** Bars before MAX's first value (TA-Lib: period - 1). @internal */
export function maxLookback(period: number): number {
  return period - 1;
}

/** Highest value of the last `period` bars including the current one, TA-Lib MAX. */
export function max(values: Float64Array, period: number): Float64Array {
  checkPeriod('max', period);
  return rollingExtreme(values, period, 'max');
}
