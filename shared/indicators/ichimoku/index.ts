import { checkPeriod, nanPrefixArray, rollingMidpointInto } from '../rolling.ts';

/** Ichimoku lines as of each bar (not shifted: a chart plots spanA and spanB kijunPeriod bars ahead). */
export interface IchimokuResult {
  tenkan: Float64Array;
  kijun: Float64Array;
  spanA: Float64Array;
  spanB: Float64Array;
}

/** Bars before each Ichimoku line's first value: a midpoint needs its window, spanA both of its lines. */
export function ichimokuLookback(
  tenkanPeriod = 9,
  kijunPeriod = 26,
  senkouBPeriod = 52,
): { tenkan: number; kijun: number; spanA: number; spanB: number } {
  return {
    tenkan: tenkanPeriod - 1,
    kijun: kijunPeriod - 1,
    spanA: Math.max(tenkanPeriod, kijunPeriod) - 1,
    spanB: senkouBPeriod - 1,
  };
}

/** Ichimoku (Hosoda): tenkan, kijun and span B are high/low midpoints; span A = (tenkan + kijun) / 2. */
export function ichimoku(
  high: Float64Array,
  low: Float64Array,
  tenkanPeriod = 9,
  kijunPeriod = 26,
  senkouBPeriod = 52,
): IchimokuResult {
  // Each line uses only bars up to the current one, so a feature can read it on that bar without lookahead.
  // The chikou span (the close plotted kijunPeriod bars back) is just the close and is left out.
  checkPeriod('ichimoku', tenkanPeriod);
  checkPeriod('ichimoku', kijunPeriod);
  checkPeriod('ichimoku', senkouBPeriod);
  // Each midpoint is the Donchian channel's middle line, highs and lows tracked in one loop (rolling.ts).
  const tenkan = highLowMidpoint(high, low, tenkanPeriod);
  const kijun = highLowMidpoint(high, low, kijunPeriod);
  const spanB = highLowMidpoint(high, low, senkouBPeriod);
  const spanAStart = ichimokuLookback(tenkanPeriod, kijunPeriod).spanA;
  const spanA = nanPrefixArray(high.length, spanAStart);
  for (let i = spanAStart; i < high.length; i++) {
    spanA[i] = (tenkan[i]! + kijun[i]!) / 2;
  }
  return { tenkan, kijun, spanA, spanB };
}

function highLowMidpoint(high: Float64Array, low: Float64Array, period: number): Float64Array {
  const out = nanPrefixArray(high.length, period - 1);
  rollingMidpointInto(out, high, low, period);
  return out;
}
