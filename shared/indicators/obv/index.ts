/** Bars before OBV's first value (TA-Lib: 0). @internal */
export function obvLookback(): number {
  return 0;
}

/** On-balance volume, TA-Lib OBV: the first bar's volume, then ± each volume as the close rises or falls. */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = close.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let total = volume[0]!;
  out[0] = total;
  for (let i = 1; i < n; i++) {
    if (close[i]! > close[i - 1]!) total += volume[i]!;
    else if (close[i]! < close[i - 1]!) total -= volume[i]!;
    out[i] = total;
  }
  return out;
}
