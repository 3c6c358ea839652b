import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before ROC's first value (TA-Lib: period). @internal */
export function rocLookback(period: number): number {
  return period;
}

/** Rate of change in percent, TA-Lib ROC: 100 * (value / value[period ago] - 1), 0 where the old value is 0. */
export function roc(values: Float64Array, period = 10): Float64Array {
  checkPeriod('roc', period);
  const n = values.length;
  const out = nanPrefixArray(n, period);
  let i = period;
  // Unrolled by two: fewer loop checks per division.
  for (; i + 1 < n; i += 2) {
    const old0 = values[i - period]!;
    const old1 = values[i + 1 - period]!;
    out[i] = old0 !== 0 ? (values[i]! / old0 - 1) * 100 : 0;
    out[i + 1] = old1 !== 0 ? (values[i + 1]! / old1 - 1) * 100 : 0;
  }
  for (; i < n; i++) {
    const old = values[i - period]!;
    out[i] = old !== 0 ? (values[i]! / old - 1) * 100 : 0;
  }
  return out;
}
