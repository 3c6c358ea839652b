// Reference: a hand-worked example of Ichimoku's lines (Goichi Hosoda's definitions, as ChartSchool's
// "Ichimoku Cloud" article gives them): tenkan, kijun and senkou span B are (highest high + lowest low) / 2
// over 9, 26 and 52 bars; senkou span A = (tenkan + kijun) / 2. They are computed as of each bar, not shifted
// 26 bars ahead as charted.
import { describe, expect, it } from 'vitest';
import { randomWalkBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { ichimoku, ichimokuLookback } from './index.ts';

testIndicatorContract({
  name: 'ichimoku(9,26,52)',
  run: (b) => ({ ...ichimoku(b.high, b.low) }),
  lookback: ichimokuLookback(),
});

describe('ichimoku, worked example with periods 2, 3 and 5', () => {
  // bar   H   L | tenkan(2)          | kijun(3)            | spanA                  | spanB(5)
  //  0   10   8 |                    |                     |                        |
  //  1   12   9 | (12 + 8) / 2 = 10  |                     |                        |
  //  2   11   7 | (12 + 7) / 2 = 9.5 | (12 + 7) / 2 = 9.5  | (9.5 + 9.5) / 2 = 9.5  |
  //  3   14  10 | (14 + 7) / 2 = 10.5| (14 + 7) / 2 = 10.5 | (10.5 + 10.5) / 2      |
  //  4   13  11 | (14 + 10) / 2 = 12 | (14 + 7) / 2 = 10.5 | (12 + 10.5) / 2 = 11.25| (14 + 7) / 2 = 10.5
  //  5   15  12 | (15 + 11) / 2 = 13 | (15 + 10) / 2 = 12.5| (13 + 12.5) / 2 = 12.75| (15 + 7) / 2 = 11
  //  6   12   9 | (15 + 9) / 2 = 12  | (15 + 9) / 2 = 12   | (12 + 12) / 2 = 12     | (15 + 7) / 2 = 11
  const high = new Float64Array([10, 12, 11, 14, 13, 15, 12]);
  const low = new Float64Array([8, 9, 7, 10, 11, 12, 9]);
  const out = ichimoku(high, low, 2, 3, 5);
  const nan = Number.NaN;

  it('gives each line as of its bar', () => {
    expect(Array.from(out.tenkan)).toEqual([nan, 10, 9.5, 10.5, 12, 13, 12]);
    expect(Array.from(out.kijun)).toEqual([nan, nan, 9.5, 10.5, 10.5, 12.5, 12]);
    expect(Array.from(out.spanA)).toEqual([nan, nan, 9.5, 10.5, 11.25, 12.75, 12]);
    expect(Array.from(out.spanB)).toEqual([nan, nan, nan, nan, 10.5, 11, 11]);
    expect(ichimokuLookback(2, 3, 5)).toEqual({ tenkan: 1, kijun: 2, spanA: 2, spanB: 4 });
  });
});

describe('ichimoku', () => {
  it('never looks ahead: later bars do not change earlier values', () => {
    const bars = randomWalkBars(200, 11);
    const full = ichimoku(bars.high, bars.low);
    const head = ichimoku(bars.high.slice(0, 120), bars.low.slice(0, 120));
    for (const line of ['tenkan', 'kijun', 'spanA', 'spanB'] as const) {
      expect(head[line]).toEqual(full[line].slice(0, 120));
    }
  });
});
