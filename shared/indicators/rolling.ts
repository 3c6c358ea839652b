// Building blocks shared by the indicator kernels: output allocation, period checks, TA-Lib's zero test and
// window extremes.

/** A Float64Array of `length` NaNs: every kernel starts from this and fills in what is defined. */
export function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/** Throws a RangeError unless `period` is an integer of at least `min` (TA-Lib rejects the same values). */
export function checkPeriod(name: string, period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new RangeError(`${name}: period must be an integer >= ${min}, got ${period}`);
  }
}

// TA-Lib 0.6's TA_EPSILON. Kernels test against it exactly where TA-Lib does, so they return what TA-Lib returns.
const TA_EPSILON = 1e-14;

/** TA-Lib's TA_IS_ZERO: |v| < 1e-14. */
export function isZero(v: number): boolean {
  return -TA_EPSILON < v && v < TA_EPSILON;
}

/** TA-Lib's TA_IS_ZERO_OR_NEG: v < 1e-14 (a variance that is zero up to rounding). */
export function isZeroOrNegative(v: number): boolean {
  return v < TA_EPSILON;
}

/** Index of the highest/lowest value in the `window` bars ending at each bar (-1 before); ties go to the latest. */
export function rollingExtremeIndex(values: Float64Array, window: number, pick: 'max' | 'min'): Int32Array {
  // Latest-wins on ties is TA-Lib's AROON convention. O(n) with a monotonic deque.
  const n = values.length;
  const out = new Int32Array(n).fill(-1);
  // Every index enters the deque once, so a plain array of n slots with two cursors never wraps.
  const deque = new Int32Array(n);
  const sign = pick === 'max' ? 1 : -1;
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    const v = sign * values[i]!;
    // Older candidates that are not strictly better than today can never be the (latest) extreme again.
    while (tail > head && sign * values[deque[tail - 1]!]! <= v) tail--;
    deque[tail++] = i;
    if (deque[head]! <= i - window) head++;
    if (i >= window - 1) out[i] = deque[head]!;
  }
  return out;
}

/** Highest (`max`) or lowest (`min`) value of the `window` bars ending at each bar; NaN before the first window. */
export function rollingExtreme(values: Float64Array, window: number, pick: 'max' | 'min'): Float64Array {
  const idx = rollingExtremeIndex(values, window, pick);
  const out = nanArray(values.length);
  for (let i = window - 1; i < values.length; i++) out[i] = values[idx[i]!]!;
  return out;
}
