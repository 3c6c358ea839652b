/**
 * Swing pivots for the chart-pattern detectors. A bar i is a pivot high when its high is above every
 * high of the `k` bars before it and not below any high of the `k` bars after it (the first of equal
 * highs wins); a pivot low mirrors that on the lows. A pivot is only known `k` bars later, so a
 * detector at bar t may use pivots at i <= t - k and nothing else: that delay is what keeps the
 * patterns free of look-ahead. A NaN anywhere in the 2k + 1 bars makes no pivot.
 */
export function pivotFlags(values: Float64Array, k: number, side: 'high' | 'low'): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n);
  const sign = side === 'high' ? 1 : -1;
  for (let i = k; i + k < n; i++) {
    const v = sign * values[i]!;
    if (Number.isNaN(v)) continue;
    let pivot = true;
    for (let j = i - k; j < i && pivot; j++) pivot = v > sign * values[j]!;
    for (let j = i + 1; j <= i + k && pivot; j++) pivot = v >= sign * values[j]!;
    out[i] = pivot ? 1 : 0;
  }
  return out;
}
