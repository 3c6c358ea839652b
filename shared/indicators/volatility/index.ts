// Annualised volatility estimators over a rolling window: close-to-close, Parkinson (high/low) and
// Garman-Klass (OHLC).
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before realizedVol's first value (period: `period` returns need period + 1 closes). @internal */
export function realizedVolLookback(period: number): number {
  return period;
}

/**
 * Close-to-close volatility: sample stddev of `period` log returns * √periodsPerYear; NaN on prices <= 0.
 * @internal
 */
export function realizedVol(close: Float64Array, period: number, periodsPerYear: number): Float64Array {
  checkPeriod('realizedVol', period, 2);
  checkAnnualisation('realizedVol', periodsPerYear);
  return realizedVolOfReturns(closeLogReturns(close), period, periodsPerYear);
}

/** ln(close / previous close) as realizedVol takes it: NaN on bar 0 and where either close is <= 0. */
export function closeLogReturns(close: Float64Array): Float64Array {
  const n = close.length;
  const returns = nanPrefixArray(n, 1);
  for (let i = 1; i < n; i++) {
    const prev = close[i - 1]!;
    const cur = close[i]!;
    returns[i] = prev > 0 && cur > 0 ? Math.log(cur / prev) : Number.NaN;
  }
  return returns;
}

/** realizedVol from closeLogReturns(close), for callers that take several periods of the same closes. */
export function realizedVolOfReturns(
  returns: Float64Array,
  period: number,
  periodsPerYear: number,
  state?: KernelState,
): Float64Array {
  checkPeriod('realizedVol', period, 2);
  checkAnnualisation('realizedVol', periodsPerYear);
  // Running sums of the returns and of their squares over the window, a NaN return counted rather than
  // added (rollingSum's steps, so both sums are what two rollingSum passes give).
  const n = returns.length;
  const out = nanPrefixArray(n, period);
  let sum = 0;
  let sumSq = 0;
  let invalid = 0;
  let first = 0;
  if (state?.resuming) {
    sum = state.take();
    sumSq = state.take();
    invalid = state.take();
    first = state.at + 1;
  }
  for (let i = first; i < n; i++) {
    const r = returns[i]!;
    if (Number.isNaN(r)) invalid++;
    else {
      sum += r;
      sumSq += r * r;
    }
    if (i >= period) {
      const old = returns[i - period]!;
      if (Number.isNaN(old)) invalid--;
      else {
        sum -= old;
        sumSq -= old * old;
      }
      if (invalid !== 0) {
        out[i] = Number.NaN;
        continue;
      }
      // max(0, ...) drops a negative rounding residue on a flat window; an invalid price's NaN passes
      // through.
      const variance = Math.max(0, (sumSq - (sum * sum) / period) / (period - 1));
      out[i] = Number.isNaN(sum) ? Number.NaN : Math.sqrt(variance * periodsPerYear);
    }
  }
  state?.put(sum).put(sumSq).put(invalid);
  return out;
}

/** Bars before parkinson's first value (period - 1). @internal */
export function parkinsonLookback(period: number): number {
  return period - 1;
}

/** Parkinson (1980): √(Σ ln(h/l)² / (4 ln2 · period)) * √periodsPerYear; NaN on prices <= 0. */
export function parkinson(
  high: Float64Array,
  low: Float64Array,
  period: number,
  periodsPerYear: number,
  state?: KernelState,
): Float64Array {
  // M. Parkinson, "The Extreme Value Method for Estimating the Variance of the Rate of Return", Journal of
  // Business 53(1), 1980, pp. 61-65: E[ln(h/l)²] = 4 ln2 σ² for a driftless Brownian motion.
  checkPeriod('parkinson', period);
  checkAnnualisation('parkinson', periodsPerYear);
  const n = high.length;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    terms[i] = h > 0 && l > 0 ? Math.log(h / l) ** 2 : Number.NaN;
  }
  return annualisedRoot(rollingSum(terms, period, state), 1 / (4 * Math.LN2 * period), periodsPerYear);
}

/** Bars before garmanKlass's first value (period - 1). @internal */
export function garmanKlassLookback(period: number): number {
  return period - 1;
}

/** Garman-Klass (1980): √(mean(0.5 ln(h/l)² - (2ln2 - 1) ln(c/o)²)) * √periodsPerYear; NaN on prices <= 0. */
export function garmanKlass(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  periodsPerYear: number,
  state?: KernelState,
): Float64Array {
  // M. B. Garman and M. J. Klass, "On the Estimation of Security Price Volatilities from Historical Data",
  // Journal of Business 53(1), 1980, pp. 67-78, in its widely used simplified form (no opening-jump term).
  // Each bar's term is >= 0 when open and close lie within [low, high]; a window that still sums below 0
  // (inconsistent bars) gives 0.
  checkPeriod('garmanKlass', period);
  checkAnnualisation('garmanKlass', periodsPerYear);
  const n = close.length;
  const k = 2 * Math.LN2 - 1;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = open[i]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    terms[i] =
      o > 0 && h > 0 && l > 0 && c > 0 ? 0.5 * Math.log(h / l) ** 2 - k * Math.log(c / o) ** 2 : Number.NaN;
  }
  return annualisedRoot(rollingSum(terms, period, state), 1 / period, periodsPerYear);
}

function checkAnnualisation(name: string, periodsPerYear: number): void {
  if (!(periodsPerYear > 0 && Number.isFinite(periodsPerYear))) {
    throw new RangeError(`${name}: periodsPerYear must be a positive number, got ${periodsPerYear}`);
  }
}

/** Sum of each `period`-bar window; NaN from the start and wherever the window holds a NaN term. */
function rollingSum(terms: Float64Array, period: number, state?: KernelState): Float64Array {
  // NaN terms are counted instead of added, so one bad bar spoils only the windows that contain it.
  const n = terms.length;
  const out = nanPrefixArray(n, period - 1);
  let sum = 0;
  let invalid = 0;
  let first = 0;
  if (state?.resuming) {
    sum = state.take();
    invalid = state.take();
    first = state.at + 1;
  }
  for (let i = first; i < n; i++) {
    const t = terms[i]!;
    if (Number.isNaN(t)) invalid++;
    else sum += t;
    if (i >= period) {
      const old = terms[i - period]!;
      if (Number.isNaN(old)) invalid--;
      else sum -= old;
    }
    if (i >= period - 1) out[i] = invalid === 0 ? sum : Number.NaN;
  }
  state?.put(sum).put(invalid);
  return out;
}

/** √(max(0, sum * scale) * periodsPerYear), NaN where the sum is NaN. */
function annualisedRoot(sums: Float64Array, scale: number, periodsPerYear: number): Float64Array {
  for (let i = 0; i < sums.length; i++) {
    const s = sums[i]!;
    if (!Number.isNaN(s)) sums[i] = Math.sqrt(Math.max(0, s * scale) * periodsPerYear);
  }
  return sums;
}
