import { checkPeriod, nanArray, nanPrefixArray } from '../rolling.ts';

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
): Float64Array {
  checkPeriod('mfi', period, 2);
  const n = close.length;
  if (n <= period) return nanArray(n);
  const out = nanPrefixArray(n, period);
  // Per-bar flows in a ring so the running sums drop exactly what they added, as TA-Lib does.
  const pos = new Float64Array(period);
  const neg = new Float64Array(period);
  let posSum = 0;
  let negSum = 0;
  let prevTp = (high[0]! + low[0]! + close[0]!) / 3;
  for (let i = 1; i < n; i++) {
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
  return out;
}
