import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before SMA's first value (TA-Lib: period - 1). @internal */
export function smaLookback(period: number): number {
  return period - 1;
}

/** Simple moving average, TA-Lib SMA: NaN before `period - 1`. */
export function sma(values: Float64Array, period: number): Float64Array {
  checkPeriod('sma', period);
  const out = nanPrefixArray(values.length, period - 1);
  smaInto(out, values, 0, period);
  return out;
}

/** Writes the SMA of `values[start..]` into `out[start + period - 1..]`, leaving the rest untouched. */
export function smaInto(out: Float64Array, values: Float64Array, start: number, period: number): void {
  // A start other than 0 smooths a series defined only from `start` on, as TA-Lib's STOCH does.
  const n = values.length;
  if (n - start < period) return;
  // TA-Lib's running sum (add the new value, divide, then drop the trailing one) keeps results bit-identical.
  let total = 0;
  for (let i = start; i < start + period - 1; i++) total += values[i]!;
  let trailing = start;
  let i = start + period - 1;
  // Unrolled by two (the same steps in the same order): fewer loop checks around the chain of additions.
  for (; i + 1 < n; i += 2) {
    total += values[i]!;
    out[i] = total / period;
    total -= values[trailing++]!;
    total += values[i + 1]!;
    out[i + 1] = total / period;
    total -= values[trailing++]!;
  }
  for (; i < n; i++) {
    total += values[i]!;
    out[i] = total / period;
    total -= values[trailing++]!;
  }
}
