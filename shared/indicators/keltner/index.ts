import { atr } from '../atr/index.ts';
import { ema } from '../ema/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Upper, middle and lower Keltner channel line, aligned with the input. */
export interface KeltnerResult {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/** Bars before Keltner's first value: the later of the EMA's (emaPeriod - 1) and the ATR's (atrPeriod). */
export function keltnerLookback(emaPeriod = 20, atrPeriod = 10): number {
  return Math.max(emaPeriod - 1, atrPeriod);
}

/** Keltner channel (StockCharts): EMA(close, emaPeriod) ± multiplier * ATR(atrPeriod). */
export function keltner(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  emaPeriod = 20,
  atrPeriod = 10,
  multiplier = 2,
  state?: KernelState,
): KeltnerResult {
  // The repo's TA-Lib kernels: the EMA is SMA-seeded (as ChartSchool seeds it), the ATR Wilder-smoothed from
  // the mean of true ranges 1..atrPeriod. All three lines start together, once both exist.
  checkPeriod('keltner', emaPeriod);
  checkPeriod('keltner', atrPeriod);
  const n = close.length;
  const middle = ema(close, emaPeriod, state);
  const range = atr(high, low, close, atrPeriod, state);
  const start = Math.min(keltnerLookback(emaPeriod, atrPeriod), n);
  const out: KeltnerResult = { upper: nanPrefixArray(n, start), middle, lower: nanPrefixArray(n, start) };
  middle.fill(Number.NaN, 0, start);
  for (let i = start; i < n; i++) {
    const width = multiplier * range[i]!;
    out.upper[i] = middle[i]! + width;
    out.lower[i] = middle[i]! - width;
  }
  return out;
}
