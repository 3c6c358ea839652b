import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before MOM's first value (TA-Lib: period). @internal */
export function momLookback(period = 10): number {
  return period;
}

/** Momentum, TA-Lib MOM: value - value `period` bars ago, in price units. */
export function mom(values: Float64Array, period = 10): Float64Array {
  checkPeriod('mom', period);
  const n = values.length;
  const out = nanPrefixArray(n, period);
  for (let i = period; i < n; i++) out[i] = values[i]! - values[i - period]!;
  return out;
}
