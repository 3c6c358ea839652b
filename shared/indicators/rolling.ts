// Building blocks shared by the indicator kernels: output allocation, period checks, TA-Lib's zero test and
// window extremes.

/** A Float64Array of `length` NaNs: the output of a kernel with no value to give (too few bars). */
export function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/**
 * A Float64Array of `length` whose first `prefix` values are NaN. The rest is left 0 (a new Float64Array is
 * zeroed), so a kernel using it must write every bar from `prefix` on, NaN included where it has no value.
 */
export function nanPrefixArray(length: number, prefix: number): Float64Array {
  const out = new Float64Array(length);
  if (prefix > 0) out.fill(Number.NaN, 0, Math.min(prefix, length));
  return out;
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

// Window extremes.
//
// Without NaN the kernels track the extreme's index as TA-Lib does: a new value at least as extreme takes its
// place (so ties go to the latest bar), and only when the extreme leaves the window is the window rescanned
// (latest wins again). That costs one comparison per bar plus the rescans, about half a monotonic deque's
// time on short windows. On long windows a trending series makes the rescans frequent (in a rally the lowest
// low is usually the oldest bar), so from LONG_WINDOW bars on the value-only kernels switch to block suffix
// extremes (van Herk / Gil-Werman with blocks cut where needed): a backward scan once per `window` bars,
// then two comparisons per bar, whatever the trend. Every method returns the latest extreme, so the value is
// the same (it matters only for -0 against 0).
//
// A NaN compares false with everything, and the deque below keeps it as a barrier: the result is the extreme
// of the window's bars before its first NaN, or that NaN when it opens the window. Inputs with a NaN take the
// deque so that the result never depends on which method ran. Every bar passes one failed or successful
// comparison in the fast loops, so they test for NaN only where a comparison fails and, on the first one,
// start again with the deque. The fused kernels (WILLR, STOCH, AROON, Donchian) fall back the same way.

/** From this window length on, value-only extremes use block suffix extremes instead of rescans. */
export const LONG_WINDOW = 48;

/** Index of the latest highest value of `values[from..to]`, or -1 if one of them is NaN. */
export function latestMaxIndex(values: Float64Array, from: number, to: number): number {
  let idx = from;
  let best = values[from]!;
  if (Number.isNaN(best)) return -1;
  for (let j = from + 1; j <= to; j++) {
    const v = values[j]!;
    if (v >= best) {
      idx = j;
      best = v;
    } else if (Number.isNaN(v)) {
      return -1;
    }
  }
  return idx;
}

/** Index of the latest lowest value of `values[from..to]`, or -1 if one of them is NaN. */
export function latestMinIndex(values: Float64Array, from: number, to: number): number {
  let idx = from;
  let best = values[from]!;
  if (Number.isNaN(best)) return -1;
  for (let j = from + 1; j <= to; j++) {
    const v = values[j]!;
    if (v <= best) {
      idx = j;
      best = v;
    } else if (Number.isNaN(v)) {
      return -1;
    }
  }
  return idx;
}

/**
 * One step of the index tracking: given `idx`, the latest extreme's index in the window ending yesterday
 * (-1 before the first window), the latest highest value's index in `values[trailing..today]`; -1 on a NaN.
 * Every tracking loop (here and in the fused kernels) is built on this and nextMinIndex.
 */
export function nextMaxIndex(values: Float64Array, idx: number, trailing: number, today: number): number {
  if (idx < trailing) return latestMaxIndex(values, trailing, today);
  const v = values[today]!;
  if (v >= values[idx]!) return today;
  return Number.isNaN(v) ? -1 : idx;
}

/** nextMaxIndex for the lowest value. */
export function nextMinIndex(values: Float64Array, idx: number, trailing: number, today: number): number {
  if (idx < trailing) return latestMinIndex(values, trailing, today);
  const v = values[today]!;
  if (v <= values[idx]!) return today;
  return Number.isNaN(v) ? -1 : idx;
}

/** Index of the highest/lowest value in the `window` bars ending at each bar (-1 before); ties go to the latest. */
export function rollingExtremeIndex(values: Float64Array, window: number, pick: 'max' | 'min'): Int32Array {
  // Latest-wins on ties is TA-Lib's AROON convention.
  if (!trackable(window)) return dequeExtremeIndex(values, window, pick);
  const n = values.length;
  const out = new Int32Array(n);
  out.fill(-1, 0, Math.min(window - 1, n));
  const max = pick === 'max';
  let idx = -1;
  for (let today = window - 1, trailing = 0; today < n; today++, trailing++) {
    idx = max ? nextMaxIndex(values, idx, trailing, today) : nextMinIndex(values, idx, trailing, today);
    if (idx < 0) return dequeExtremeIndex(values, window, pick);
    out[today] = idx;
  }
  return out;
}

/** Indices of the highest `upper` and lowest `lower` values of each window: rollingExtremeIndices's result. */
export interface ExtremeIndices {
  high: Int32Array;
  low: Int32Array;
}

/**
 * rollingExtremeIndex of `upper` ('max') and of `lower` ('min'), both tracked in one loop as TA-Lib's
 * WILLR, STOCH and AROON track them; by the deque when either holds a NaN (or the lengths differ).
 */
export function rollingExtremeIndices(
  upper: Float64Array,
  lower: Float64Array,
  window: number,
): ExtremeIndices {
  const n = upper.length;
  if (trackable(window) && lower.length === n) {
    const high = new Int32Array(n);
    const low = new Int32Array(n);
    high.fill(-1, 0, Math.min(window - 1, n));
    low.fill(-1, 0, Math.min(window - 1, n));
    let hiIdx = -1;
    let loIdx = -1;
    let today = window - 1;
    for (let trailing = 0; today < n; today++, trailing++) {
      hiIdx = nextMaxIndex(upper, hiIdx, trailing, today);
      loIdx = nextMinIndex(lower, loIdx, trailing, today);
      if (hiIdx < 0 || loIdx < 0) break;
      high[today] = hiIdx;
      low[today] = loIdx;
    }
    if (today >= n) return { high, low };
  }
  return { high: rollingExtremeIndex(upper, window, 'max'), low: rollingExtremeIndex(lower, window, 'min') };
}

/** Highest (`max`) or lowest (`min`) value of the `window` bars ending at each bar; NaN before the first window. */
export function rollingExtreme(values: Float64Array, window: number, pick: 'max' | 'min'): Float64Array {
  const n = values.length;
  const out = trackable(window) ? nanPrefixArray(n, window - 1) : nanArray(n);
  rollingExtremeInto(out, values, window, pick);
  return out;
}

/** Writes rollingExtreme's values into `out[window - 1..]`, leaving the rest untouched. */
export function rollingExtremeInto(
  out: Float64Array,
  values: Float64Array,
  window: number,
  pick: 'max' | 'min',
): void {
  const done = !trackable(window)
    ? false
    : window >= LONG_WINDOW
      ? pick === 'max'
        ? blockMaxInto(out, values, window, false)
        : blockMinInto(out, values, window, false)
      : pick === 'max'
        ? trackMaxInto(out, values, window)
        : trackMinInto(out, values, window);
  if (!done) dequeExtremeInto(out, values, window, pick);
}

/** rollingExtreme's values by a deque, into `out[window - 1..]` (the method for inputs with a NaN). */
function dequeExtremeInto(
  out: Float64Array,
  values: Float64Array,
  window: number,
  pick: 'max' | 'min',
): void {
  const idx = dequeExtremeIndex(values, window, pick);
  for (let i = window - 1; i < values.length; i++) out[i] = values[idx[i]!]!;
}

/** Latest highest value per window into `out[window - 1..]` by index tracking; false (stopped) on a NaN. */
function trackMaxInto(out: Float64Array, values: Float64Array, window: number): boolean {
  const n = values.length;
  let idx = -1;
  for (let today = window - 1, trailing = 0; today < n; today++, trailing++) {
    idx = nextMaxIndex(values, idx, trailing, today);
    if (idx < 0) return false;
    out[today] = values[idx]!;
  }
  return true;
}

/** trackMaxInto for the lowest value. */
function trackMinInto(out: Float64Array, values: Float64Array, window: number): boolean {
  const n = values.length;
  let idx = -1;
  for (let today = window - 1, trailing = 0; today < n; today++, trailing++) {
    idx = nextMinIndex(values, idx, trailing, today);
    if (idx < 0) return false;
    out[today] = values[idx]!;
  }
  return true;
}

/**
 * Midpoint (highest `upper` + lowest `lower`) / 2 of the `window` bars ending at each bar, written into
 * `out[window - 1..]` (the Donchian middle, TA-Lib MIDPRICE and MIDPOINT); highs and lows in one loop.
 */
export function rollingMidpointInto(
  out: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
  window: number,
): void {
  const n = upper.length;
  let done = false;
  if (trackable(window) && lower.length === n) {
    // Long windows: the highest high first, then (it + the lowest low) / 2 in place.
    done =
      window >= LONG_WINDOW
        ? blockMaxInto(out, upper, window, false) && blockMinInto(out, lower, window, true)
        : trackMidpointInto(out, upper, lower, window);
  }
  if (!done) {
    const hi = dequeExtremeIndex(upper, window, 'max');
    const lo = dequeExtremeIndex(lower, window, 'min');
    for (let i = window - 1; i < n; i++) out[i] = (upper[hi[i]!]! + lower[lo[i]!]!) / 2;
  }
}

function trackMidpointInto(
  out: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
  window: number,
): boolean {
  const n = upper.length;
  let hiIdx = -1;
  let loIdx = -1;
  for (let today = window - 1, trailing = 0; today < n; today++, trailing++) {
    hiIdx = nextMaxIndex(upper, hiIdx, trailing, today);
    if (hiIdx < 0) return false;
    loIdx = nextMinIndex(lower, loIdx, trailing, today);
    if (loIdx < 0) return false;
    out[today] = (upper[hiIdx]! + lower[loIdx]!) / 2;
  }
  return true;
}

/**
 * Latest highest value of each `window`-bar window into `out[window - 1..]` by block suffix maxima; false
 * (stopped) on a NaN. When the window's oldest bar passes the last block, the window [trailing, today]
 * becomes the block and its suffix maxima are built backwards; until the next block the window's maximum is
 * the better of the block's suffix maximum from `trailing` and the running maximum of the bars since (later
 * wins ties). With `midpoint`, writes (out + maximum) / 2 instead, out holding the other extreme.
 */
function blockMaxInto(out: Float64Array, values: Float64Array, window: number, midpoint: boolean): boolean {
  const n = values.length;
  const suffix = new Float64Array(window);
  let blockStart = 0;
  let blockEnd = -1;
  let run = Number.NEGATIVE_INFINITY;
  for (let today = window - 1, trailing = 0; today < n; today++, trailing++) {
    let best: number;
    if (trailing > blockEnd) {
      best = values[today]!;
      if (Number.isNaN(best)) return false;
      suffix[window - 1] = best;
      for (let j = today - 1, k = window - 2; j >= trailing; j--, k--) {
        const v = values[j]!;
        if (v > best) best = v;
        else if (Number.isNaN(v)) return false;
        suffix[k] = best;
      }
      blockStart = trailing;
      blockEnd = today;
      run = Number.NEGATIVE_INFINITY;
    } else {
      const v = values[today]!;
      if (v >= run) run = v;
      else if (Number.isNaN(v)) return false;
      // Not Math.max: on a tie (-0 against 0) the later bar's value wins.
      best = suffix[trailing - blockStart]!;
      if (run >= best) best = run;
    }
    out[today] = midpoint ? (out[today]! + best) / 2 : best;
  }
  return true;
}

/** blockMaxInto for the lowest value. */
function blockMinInto(out: Float64Array, values: Float64Array, window: number, midpoint: boolean): boolean {
  const n = values.length;
  const suffix = new Float64Array(window);
  let blockStart = 0;
  let blockEnd = -1;
  let run = Number.POSITIVE_INFINITY;
  for (let today = window - 1, trailing = 0; today < n; today++, trailing++) {
    let best: number;
    if (trailing > blockEnd) {
      best = values[today]!;
      if (Number.isNaN(best)) return false;
      suffix[window - 1] = best;
      for (let j = today - 1, k = window - 2; j >= trailing; j--, k--) {
        const v = values[j]!;
        if (v < best) best = v;
        else if (Number.isNaN(v)) return false;
        suffix[k] = best;
      }
      blockStart = trailing;
      blockEnd = today;
      run = Number.POSITIVE_INFINITY;
    } else {
      const v = values[today]!;
      if (v <= run) run = v;
      else if (Number.isNaN(v)) return false;
      // Not Math.min: on a tie (-0 against 0) the later bar's value wins.
      best = suffix[trailing - blockStart]!;
      if (run <= best) best = run;
    }
    out[today] = midpoint ? (out[today]! + best) / 2 : best;
  }
  return true;
}

/** The index-tracking loops assume a whole window of at least one bar (the kernels check their periods). */
function trackable(window: number): boolean {
  return Number.isInteger(window) && window >= 1;
}

/** rollingExtremeIndex by a monotonic deque: the method for inputs holding a NaN (see above). */
function dequeExtremeIndex(values: Float64Array, window: number, pick: 'max' | 'min'): Int32Array {
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
