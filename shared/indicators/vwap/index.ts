import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before the rolling VWAP's first value (period - 1). @internal */
export function rollingVwapLookback(period: number): number {
  return period - 1;
}

/** Rolling VWAP: Σ(typical price * volume) / Σ volume over `period` bars; NaN when the volume is 0. */
export function rollingVwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period: number,
  state?: KernelState,
): Float64Array {
  // Typical price (h + l + c) / 3. Running sums drop exactly the term they added (recomputed from the same
  // inputs); the count of traded bars makes a window of zero volumes NaN even when the running volume sum
  // keeps a rounding residue.
  checkPeriod('rollingVwap', period);
  const n = close.length;
  const out = nanPrefixArray(n, period - 1);
  let priceVolume = 0;
  let totalVolume = 0;
  let traded = 0;
  let first = 0;
  if (state?.resuming) {
    priceVolume = state.take();
    totalVolume = state.take();
    traded = state.take();
    first = state.at + 1;
  }
  for (let i = first; i < n; i++) {
    const v = volume[i]!;
    priceVolume += ((high[i]! + low[i]! + close[i]!) / 3) * v;
    totalVolume += v;
    if (v !== 0) traded++;
    if (i >= period) {
      const j = i - period;
      const old = volume[j]!;
      priceVolume -= ((high[j]! + low[j]! + close[j]!) / 3) * old;
      totalVolume -= old;
      if (old !== 0) traded--;
    }
    if (i >= period - 1) out[i] = traded > 0 && totalVolume > 0 ? priceVolume / totalVolume : Number.NaN;
  }
  state?.put(priceVolume).put(totalVolume).put(traded);
  return out;
}
