import { checkPeriod, isZeroOrNegative, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before CORREL's first value (TA-Lib: period - 1). @internal */
export function correlLookback(period = 30): number {
  return period - 1;
}

/** Rolling Pearson correlation of two series, TA-Lib CORREL; 0 where either window has no variance. */
export function correl(x: Float64Array, y: Float64Array, period = 30, state?: KernelState): Float64Array {
  // TA-Lib's running sums: r = (Σxy - ΣxΣy/n) / sqrt((Σx² - (Σx)²/n)(Σy² - (Σy)²/n)), 0 when the product
  // under the root is below TA-Lib's epsilon.
  checkPeriod('correl', period);
  if (x.length !== y.length) throw new RangeError(`correl: series lengths differ (${x.length}, ${y.length})`);
  const n = x.length;
  if (n < period && !state?.resuming) {
    for (let k = 0; k < 5; k++) state?.put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period - 1);
  let sumX = 0;
  let sumY = 0;
  let sumX2 = 0;
  let sumY2 = 0;
  let sumXY = 0;
  let first = 0;
  if (state?.resuming) {
    sumX = state.take();
    sumY = state.take();
    sumX2 = state.take();
    sumY2 = state.take();
    sumXY = state.take();
    first = state.at + 1;
  }
  for (let i = first; i < n; i++) {
    if (i >= period) {
      // Drop the bar that left the window before adding today's, in TA-Lib's order.
      const tx = x[i - period]!;
      const ty = y[i - period]!;
      sumX -= tx;
      sumX2 -= tx * tx;
      sumXY -= tx * ty;
      sumY -= ty;
      sumY2 -= ty * ty;
    }
    const xv = x[i]!;
    const yv = y[i]!;
    sumX += xv;
    sumX2 += xv * xv;
    sumXY += xv * yv;
    sumY += yv;
    sumY2 += yv * yv;
    if (i < period - 1) continue;
    const denominator = (sumX2 - (sumX * sumX) / period) * (sumY2 - (sumY * sumY) / period);
    out[i] = isZeroOrNegative(denominator) ? 0 : (sumXY - (sumX * sumY) / period) / Math.sqrt(denominator);
  }
  state?.put(sumX).put(sumY).put(sumX2).put(sumY2).put(sumXY);
  return out;
}
