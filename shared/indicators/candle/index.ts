import { nanPrefixArray } from '../rolling.ts';

/** A bar's real body and shadows (Nison's terms) as fractions of its range, aligned with the input. */
export interface CandlePartsResult {
  /** Signed body (close - open) / (high - low): > 0 for an up bar, < 0 for a down bar. */
  body: Float64Array;
  /** (high - max(open, close)) / (high - low). */
  upperWick: Float64Array;
  /** (min(open, close) - low) / (high - low). */
  lowerWick: Float64Array;
}

/** Bars before candleParts' first value (0: each bar stands alone). @internal */
export function candlePartsLookback(): number {
  return 0;
}

/** Candle anatomy: signed body and wicks as fractions of high - low (|body| + wicks = 1); NaN if h == l. */
export function candleParts(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
): CandlePartsResult {
  const n = close.length;
  const out: CandlePartsResult = {
    body: new Float64Array(n),
    upperWick: new Float64Array(n),
    lowerWick: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const range = high[i]! - low[i]!;
    if (!(range > 0)) {
      out.body[i] = Number.NaN;
      out.upperWick[i] = Number.NaN;
      out.lowerWick[i] = Number.NaN;
      continue;
    }
    const o = open[i]!;
    const c = close[i]!;
    out.body[i] = (c - o) / range;
    out.upperWick[i] = (high[i]! - Math.max(o, c)) / range;
    out.lowerWick[i] = (Math.min(o, c) - low[i]!) / range;
  }
  return out;
}

/** Bars before gap's first value (1: it needs the previous close). @internal */
export function gapLookback(): number {
  return 1;
}

/** Opening gap: open / previous close - 1; NaN on bar 0 and after a non-positive close. */
export function gap(open: Float64Array, close: Float64Array): Float64Array {
  const out = nanPrefixArray(close.length, 1);
  for (let i = 1; i < close.length; i++) {
    const prev = close[i - 1]!;
    out[i] = prev > 0 ? open[i]! / prev - 1 : Number.NaN;
  }
  return out;
}
