import { checkPeriod, isZero, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';
import { trueRange } from '../trange/index.ts';

/** Wilder's directional movement system, aligned with the input. */
export interface AdxResult {
  adx: Float64Array;
  plusDi: Float64Array;
  minusDi: Float64Array;
  dx: Float64Array;
}

/** Bars before ADX's first value (TA-Lib: 2 * period - 1). */
export function adxLookback(period: number): number {
  return 2 * period - 1;
}

/** Bars before the first PLUS_DI, MINUS_DI and DX value (TA-Lib: period). @internal */
export function diLookback(period: number): number {
  return period;
}

// pick[0] stays 0: pick[flag] adds a move or nothing without a conditional jump (see trueRange).
const pick = new Float64Array(2);

/** Wilder's ADX, +DI, -DI and DX in one pass, each equal to the TA-Lib function of that name. */
export function adx(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
  state?: KernelState,
): AdxResult {
  // TA-Lib sums the first period-1 directional movements and true ranges, then Wilder-smooths
  // (x - x/period + today); the first ADX is the mean of the first `period` DX values. Where DX is undefined
  // (no range, or no directional movement) TA-Lib's DX repeats its last value (0 at the start) and ADX skips
  // the update; DI is 0 without range.
  checkPeriod('adx', period, 2);
  const n = close.length;
  if (n <= period && !state?.resuming) {
    for (let k = 0; k < 6; k++) state?.put(Number.NaN);
    return { adx: nanArray(n), plusDi: nanArray(n), minusDi: nanArray(n), dx: nanArray(n) };
  }
  // Every bar from each output's lookback on is written below.
  const out: AdxResult = {
    adx: nanPrefixArray(n, adxLookback(period)),
    plusDi: nanPrefixArray(n, period),
    minusDi: nanPrefixArray(n, period),
    dx: nanPrefixArray(n, period),
  };

  let plusDm = 0;
  let minusDm = 0;
  let tr = 0;
  let sumDx = 0;
  let prevAdx = 0;
  let first = period;
  if (state?.resuming) {
    plusDm = state.take();
    minusDm = state.take();
    tr = state.take();
    sumDx = state.take();
    prevAdx = state.take();
    // DX repeats its last value where it is undefined.
    out.dx[state.at] = state.take();
    first = state.at + 1;
  }
  for (let i = 1; i < period && !state?.resuming; i++) {
    const diffP = high[i]! - high[i - 1]!;
    const diffM = low[i - 1]! - low[i]!;
    if (diffM > 0 && diffP < diffM) minusDm += diffM;
    else if (diffP > 0 && diffP > diffM) plusDm += diffP;
    tr += trueRange(high[i]!, low[i]!, close[i - 1]!);
  }

  const firstAdx = adxLookback(period);
  for (let i = first; i < n; i++) {
    const diffP = high[i]! - high[i - 1]!;
    const diffM = low[i - 1]! - low[i]!;
    minusDm -= minusDm / period;
    plusDm -= plusDm / period;
    // The same rule as above without branches (a CPU cannot predict which way a bar moved): the move that
    // does not count adds +0, which leaves these sums (never -0) exactly as they were.
    const isMinus = +(diffM > 0) & +(diffP < diffM);
    const isPlus = +(diffP > 0) & +(diffP > diffM) & (isMinus ^ 1);
    pick[1] = diffM;
    minusDm += pick[isMinus]!;
    pick[1] = diffP;
    plusDm += pick[isPlus]!;
    tr = tr - tr / period + trueRange(high[i]!, low[i]!, close[i - 1]!);

    let dx = Number.NaN;
    if (isZero(tr)) {
      out.plusDi[i] = 0;
      out.minusDi[i] = 0;
    } else {
      const minusDi = 100 * (minusDm / tr);
      const plusDi = 100 * (plusDm / tr);
      out.plusDi[i] = plusDi;
      out.minusDi[i] = minusDi;
      const sumDi = minusDi + plusDi;
      if (!isZero(sumDi)) dx = 100 * (Math.abs(minusDi - plusDi) / sumDi);
    }
    const defined = !Number.isNaN(dx);
    out.dx[i] = defined ? dx : i === period ? 0 : out.dx[i - 1]!;

    if (i <= firstAdx) {
      if (defined) sumDx += dx;
      if (i === firstAdx) prevAdx = sumDx / period;
    } else if (defined) {
      prevAdx = (prevAdx * (period - 1) + dx) / period;
    }
    if (i >= firstAdx) out.adx[i] = prevAdx;
  }
  state
    ?.put(plusDm)
    .put(minusDm)
    .put(tr)
    .put(sumDx)
    .put(prevAdx)
    .put(out.dx[n - 1]!);
  return out;
}
