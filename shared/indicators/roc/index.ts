import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before ROC's first value (TA-Lib: period). */
export function rocLookback(period: number): number {
  return period;
}

/** Rate of change in percent, TA-Lib ROC: 100 * (value / value[period ago] - 1), 0 where the old value is 0. */
export function roc(values: Float64Array, period = 10): Float64Array {
  checkPeriod('roc', period);
  const n = values.length;
  const out = nanPrefixArray(n, period);
  for (let i = period; i < n; i++) {
    const old = values[i - period]!;
    out[i] = old !== 0 ? (values[i]! / old - 1) * 100 : 0;
  }
  return out;
}
