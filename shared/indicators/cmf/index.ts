import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before Chaikin Money Flow's first value (period - 1). @internal */
export function cmfLookback(period = 20): number {
  return period - 1;
}

/** Chaikin Money Flow: Σ money flow volume / Σ volume over `period` bars; NaN without volume. */
export function cmf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 20,
  state?: KernelState,
): Float64Array {
  // A bar with no range has no close location, so no money flow (as ChartSchool and the A/D line treat it).
  // Running sums drop exactly the term they added; the traded-bar count makes a zero-volume window NaN
  // rather than a ratio of rounding residues.
  checkPeriod('cmf', period);
  const n = close.length;
  const out = nanPrefixArray(n, period - 1);
  let flow = 0;
  let totalVolume = 0;
  let traded = 0;
  let first = 0;
  if (state?.resuming) {
    flow = state.take();
    totalVolume = state.take();
    traded = state.take();
    first = state.at + 1;
  }
  for (let i = first; i < n; i++) {
    const v = volume[i]!;
    flow += moneyFlowVolume(high[i]!, low[i]!, close[i]!, v);
    totalVolume += v;
    if (v !== 0) traded++;
    if (i >= period) {
      const j = i - period;
      const old = volume[j]!;
      flow -= moneyFlowVolume(high[j]!, low[j]!, close[j]!, old);
      totalVolume -= old;
      if (old !== 0) traded--;
    }
    if (i >= period - 1) out[i] = traded > 0 && totalVolume > 0 ? flow / totalVolume : Number.NaN;
  }
  state?.put(flow).put(totalVolume).put(traded);
  return out;
}

/** One bar's money flow volume: ((c - l) - (h - c)) / (h - l) * volume, 0 when h == l. */
function moneyFlowVolume(high: number, low: number, close: number, volume: number): number {
  const range = high - low;
  return range > 0 ? ((close - low - (high - close)) / range) * volume : 0;
}
