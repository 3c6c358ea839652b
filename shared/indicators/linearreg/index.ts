import { checkPeriod, nanPrefixArray } from '../rolling.ts';

/** Bars before LINEARREG_SLOPE's first value (TA-Lib: period - 1). @internal */
export function linearRegSlopeLookback(period = 14): number {
  return period - 1;
}

/** Bars before LINEARREG's first value (TA-Lib: period - 1). @internal */
export function linearRegLookback(period = 14): number {
  return period - 1;
}

/** Bars before TSF's first value (TA-Lib: period - 1). @internal */
export function tsfLookback(period = 14): number {
  return period - 1;
}

/** Least-squares slope per bar over the last `period` values, TA-Lib LINEARREG_SLOPE. */
export function linearRegSlope(values: Float64Array, period = 14): Float64Array {
  return leastSquares('linearRegSlope', values, period, null);
}

/** End point of the least-squares line over the last `period` values (today's fitted value), TA-Lib LINEARREG. */
export function linearReg(values: Float64Array, period = 14): Float64Array {
  return leastSquares('linearReg', values, period, period - 1);
}

/** Time series forecast, TA-Lib TSF: the least-squares line over the last `period` values extended one bar. */
export function tsf(values: Float64Array, period = 14): Float64Array {
  return leastSquares('tsf', values, period, period);
}

/** Slope m (projectAt null) or b + m * projectAt of the line fitted to each window, in TA-Lib's arithmetic. */
function leastSquares(
  name: string,
  values: Float64Array,
  period: number,
  projectAt: number | null,
): Float64Array {
  // TA-Lib's x is "bars ago" (period-1 for the oldest, 0 for today) and its divisor is the negative of the
  // usual one, so m comes out as the ordinary per-bar slope. Sums are rebuilt per window, oldest first, in
  // TA-Lib's order: a running update would round differently.
  checkPeriod(name, period, 2);
  const n = values.length;
  const out = nanPrefixArray(n, period - 1);
  const sumX = period * (period - 1) * 0.5;
  const sumXSqr = (period * (period - 1) * (2 * period - 1)) / 6;
  const divisor = sumX * sumX - period * sumXSqr;
  let today = period - 1;
  // Two windows at a time: each sum still runs oldest bar first, but the two independent chains of additions
  // overlap in the CPU.
  for (; today + 1 < n; today += 2) {
    let sumXY0 = 0;
    let sumY0 = 0;
    let sumXY1 = 0;
    let sumY1 = 0;
    for (let x = period - 1; x >= 0; x--) {
      const y0 = values[today - x]!;
      sumY0 += y0;
      sumXY0 += x * y0;
      const y1 = values[today + 1 - x]!;
      sumY1 += y1;
      sumXY1 += x * y1;
    }
    const m0 = (period * sumXY0 - sumX * sumY0) / divisor;
    out[today] = projectAt === null ? m0 : (sumY0 - m0 * sumX) / period + m0 * projectAt;
    const m1 = (period * sumXY1 - sumX * sumY1) / divisor;
    out[today + 1] = projectAt === null ? m1 : (sumY1 - m1 * sumX) / period + m1 * projectAt;
  }
  for (; today < n; today++) {
    let sumXY = 0;
    let sumY = 0;
    for (let x = period - 1; x >= 0; x--) {
      const y = values[today - x]!;
      sumY += y;
      sumXY += x * y;
    }
    const m = (period * sumXY - sumX * sumY) / divisor;
    out[today] = projectAt === null ? m : (sumY - m * sumX) / period + m * projectAt;
  }
  return out;
}
