import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** Bars before MFI's first value (TA-Lib: period). @internal */
export function mfiLookback(period: number): number {
  return period;
}

/** Money flow index, TA-Lib MFI: 100 * rising / total typical-price money flow; 0 when the total is below 1. */
export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 14,
  state?: KernelState,
): Float64Array {
  checkPeriod('mfi', period, 2);
  const n = close.length;
  if (n <= period && !state?.resuming) {
    state?.put(Number.NaN).put(Number.NaN).put(Number.NaN);
    return nanArray(n);
  }
  const out = nanPrefixArray(n, period);
  // Per-bar flows in a ring so the running sums drop exactly what they added, as TA-Lib does.
  const pos = new Float64Array(period);
  const neg = new Float64Array(period);
  let posSum = 0;
  let negSum = 0;
  let prevTp = (high[0]! + low[0]! + close[0]!) / 3;
  let first = 1;
  if (state?.resuming) {
    posSum = state.take();
    negSum = state.take();
    prevTp = state.take();
    first = state.at + 1;
    // The ring's flows of the window before the state's next bar, recomputed from their bars (the values
    // the full pass stored); slots follow these arrays' indices, consistently from here on.
    for (let j = first - period; j < first; j++) {
      const tp = (high[j]! + low[j]! + close[j]!) / 3;
      const before = (high[j - 1]! + low[j - 1]! + close[j - 1]!) / 3;
      const flow = tp * volume[j]!;
      const slot = (j - 1) % period;
      pos[slot] = tp > before ? flow : 0;
      neg[slot] = tp < before ? flow : 0;
    }
  }
  for (let i = first; i < n; i++) {
    const slot = (i - 1) % period;
    posSum -= pos[slot]!;
    negSum -= neg[slot]!;
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    const flow = tp * volume[i]!;
    pos[slot] = tp > prevTp ? flow : 0;
    neg[slot] = tp < prevTp ? flow : 0;
    posSum += pos[slot]!;
    negSum += neg[slot]!;
    prevTp = tp;
    if (i < period) continue;
    const total = posSum + negSum;
    out[i] = total < 1 ? 0 : 100 * (posSum / total);
  }
  state?.put(posSum).put(negSum).put(prevTp);
  return out;
}
