import { atr, atrLookback } from '../atr/index.ts';
import { checkPeriod, nanPrefixArray } from '../rolling.ts';
import type { KernelState } from '../state.ts';

/** SuperTrend line and trend direction (+1 up: line is the lower band; -1 down: line is the upper band). */
export interface SupertrendResult {
  line: Float64Array;
  direction: Float64Array;
}

/** Bars before SuperTrend's first value: the ATR's (period). @internal */
export function supertrendLookback(period = 10): number {
  return atrLookback(period);
}

/** SuperTrend (Seban; TradingView ta.supertrend): HL2 ± multiplier * ATR bands ratcheting with the trend. */
export function supertrend(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 10,
  multiplier = 3,
  state?: KernelState,
): SupertrendResult {
  // TradingView's rules, with its direction sign flipped (there -1 means up) and the repo's TA-Lib-seeded ATR
  // (there an RMA whose first true range is high - low, one bar earlier):
  //   the final lower band keeps its previous value unless the basic one is higher or the previous close
  //     fell below it;
  //   the final upper band keeps its previous value unless the basic one is lower or the previous close
  //     rose above it;
  //   a down trend turns up when the close exceeds the final upper band, an up trend turns down when it
  //     falls below the final lower band.
  // The first bar starts down on its basic bands, as TradingView does. The trend is kept in a variable rather
  // than TradingView's `prevSuperTrend == prevUpperBand` test; the two differ only when the bands coincide
  // (an ATR of 0).
  checkPeriod('supertrend', period);
  const n = close.length;
  const out: SupertrendResult = { line: nanPrefixArray(n, period), direction: nanPrefixArray(n, period) };
  const range = atr(high, low, close, period, state);
  let upper = 0;
  let lower = 0;
  let direction = -1;
  let first = period;
  if (state?.resuming) {
    upper = state.take();
    lower = state.take();
    direction = state.take();
    first = state.at + 1;
  }
  for (let i = first; i < n; i++) {
    const mid = (high[i]! + low[i]!) / 2;
    const basicUpper = mid + multiplier * range[i]!;
    const basicLower = mid - multiplier * range[i]!;
    if (i === period) {
      upper = basicUpper;
      lower = basicLower;
    } else {
      const prevClose = close[i - 1]!;
      if (basicUpper < upper || prevClose > upper) upper = basicUpper;
      if (basicLower > lower || prevClose < lower) lower = basicLower;
      if (direction < 0) direction = close[i]! > upper ? 1 : -1;
      else direction = close[i]! < lower ? -1 : 1;
    }
    out.direction[i] = direction;
    out.line[i] = direction > 0 ? lower : upper;
  }
  state?.put(upper).put(lower).put(direction);
  return out;
}
