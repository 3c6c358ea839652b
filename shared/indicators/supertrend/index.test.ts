// Reference: a hand-worked example of SuperTrend as Olivier Seban defined it and TradingView implements it
// (Pine `ta.supertrend(factor, atrPeriod)`): basic bands HL2 ± factor * ATR; the final lower band keeps its
// previous value unless the basic band is higher or the previous close fell below it; the final upper band
// keeps its previous value unless the basic band is lower or the previous close rose above it; a down trend
// turns up when the close exceeds the final upper band, an up trend turns down when it falls below the final
// lower band; the first bar is a down trend on its basic bands. Direction here is +1 up / -1 down
// (TradingView returns -1 for up), and the ATR is TA-Lib's Wilder ATR (the repo's atr kernel), so the first
// value is at bar `period`.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { supertrend, supertrendLookback } from './index.ts';

testIndicatorContract({
  name: 'supertrend(10,3)',
  run: (b) => ({ ...supertrend(b.high, b.low, b.close, 10, 3) }),
  lookback: supertrendLookback(10),
});

describe('supertrend, worked example with period 2 and multiplier 1', () => {
  // bar  H   L   C    | TR   ATR  | HL2 | basic up / lo | final up / lo | dir  line
  //  0   11  9   10   |           |     |               |               |
  //  1   11  9   10   | 2         |     |               |               |
  //  2   11  9   10   | 2    2    | 10  | 12    / 8     | 12 / 8        | -1   12    (a)
  //  3   12  10  11.5 | 2    2    | 11  | 13    / 9     | 12 / 9        | -1   12    (b)
  //  4   13  11  12.5 | 2    2    | 12  | 14    / 10    | 12 / 10       | +1   10    (c)
  //  5   14  12  13.5 | 2    2    | 13  | 15    / 11    | 15 / 11       | +1   11    (d)
  //  6   14  12  12.5 | 2    2    | 13  | 15    / 11    | 15 / 11       | +1   11
  //  7   13  11  11.5 | 2    2    | 12  | 14    / 10    | 14 / 11       | +1   11    (e)
  //  8   12  10  10.5 | 2    2    | 11  | 13    / 9     | 13 / 11       | -1   13    (f)
  //  9   12  10  11   | 2    2    | 11  | 13    / 9     | 13 / 9        | -1   13    (g)
  // 10   11  9   9.5  | 2    2    | 10  | 12    / 8     | 12 / 9        | -1   12    (h)
  // 11   10  8   8.5  | 2    2    | 9   | 11    / 7     | 11 / 9        | -1   11
  // 12   11  9   10   | 2.5  2.25 | 10  | 12.25 / 7.75  | 11 / 7.75     | -1   11    (i)
  // (a) first value: the basic bands, trend down, line = upper band.
  // (b) upper held: basic 13 > 12 and the previous close 10 <= 12; close 11.5 <= 12, still down.
  // (c) upper held again; close 12.5 > 12: turns up, line = lower band.
  // (d) upper resets to its basic band (previous close 12.5 > 12); the lower band rises to its basic 11.
  // (e) lower held: basic 10 < 11 and the previous close 12.5 >= 11.
  // (f) close 10.5 < 11: turns down, line = upper band (13, below the previous 14).
  // (g) lower resets to its basic band (previous close 10.5 < 11).
  // (h) upper falls with its basic band.
  // (i) TR = max(2, |11 - 8.5|, |9 - 8.5|) = 2.5, ATR = (2 * 1 + 2.5) / 2 = 2.25; upper held (12.25 > 11,
  //     previous close 8.5 <= 11); lower resets (previous close 8.5 < 9).
  const high = new Float64Array([11, 11, 11, 12, 13, 14, 14, 13, 12, 12, 11, 10, 11]);
  const low = new Float64Array([9, 9, 9, 10, 11, 12, 12, 11, 10, 10, 9, 8, 9]);
  const close = new Float64Array([10, 10, 10, 11.5, 12.5, 13.5, 12.5, 11.5, 10.5, 11, 9.5, 8.5, 10]);
  const out = supertrend(high, low, close, 2, 1);
  const nan = Number.NaN;

  it('follows the trend with the ratcheting bands', () => {
    expect(Array.from(out.direction)).toEqual([nan, nan, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1, -1]);
    expect(Array.from(out.line)).toEqual([nan, nan, 12, 12, 10, 11, 11, 11, 13, 13, 12, 11, 11]);
  });

  it('starts at the ATR lookback', () => {
    expect(supertrendLookback(2)).toBe(2);
    expect(
      supertrend(high.slice(0, 2), low.slice(0, 2), close.slice(0, 2), 2, 1).line.every(Number.isNaN),
    ).toBe(true);
  });
});
