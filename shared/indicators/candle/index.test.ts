// Reference: hand-worked bars, with the parts of a candle as Steve Nison names them (Japanese Candlestick
// Charting Techniques, 1991): the real body between open and close, the upper and lower shadows (wicks)
// beyond it.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { candleParts, candlePartsLookback, gap, gapLookback } from './index.ts';

testIndicatorContract({
  name: 'candleParts',
  run: (b) => ({ ...candleParts(b.open, b.high, b.low, b.close) }),
  lookback: candlePartsLookback(),
});

testIndicatorContract({ name: 'gap', run: (b) => gap(b.open, b.close), lookback: gapLookback() });

const f64 = (values: number[]) => new Float64Array(values);

describe('candleParts', () => {
  // Bar 0, a hammer: O 10, H 10.5, L 8, C 10.25, range 2.5: body 0.25 / 2.5 = 0.1, upper (10.5 - 10.25) / 2.5
  // = 0.1,
  //   lower (10 - 8) / 2.5 = 0.8.
  // Bar 1, a down bar: O 12, H 13, L 10, C 11, range 3: body -1/3, upper 1/3, lower 1/3.
  // Bar 2, no range (H == L): NaN.
  const out = candleParts(f64([10, 12, 5]), f64([10.5, 13, 5]), f64([8, 10, 5]), f64([10.25, 11, 5]));

  it('splits each bar into signed body and wicks as fractions of its range (worked example)', () => {
    expect(out.body[0]).toBeCloseTo(0.1, 12);
    expect(out.upperWick[0]).toBeCloseTo(0.1, 12);
    expect(out.lowerWick[0]).toBeCloseTo(0.8, 12);
    expect(out.body[1]).toBeCloseTo(-1 / 3, 12);
    expect(out.upperWick[1]).toBeCloseTo(1 / 3, 12);
    expect(out.lowerWick[1]).toBeCloseTo(1 / 3, 12);
  });

  it('is NaN on a bar without range', () => {
    expect([out.body[2], out.upperWick[2], out.lowerWick[2]].every(Number.isNaN)).toBe(true);
  });
});

describe('gap', () => {
  it('is the open against the previous close (worked example)', () => {
    // 10.5 / 10 - 1 = 0.05; 9.5 / 10 - 1 = -0.05; previous close 0: NaN.
    const out = gap(f64([10, 10.5, 9.5, 7]), f64([10, 10, 0, 7]));
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[1]).toBeCloseTo(0.05, 12);
    expect(out[2]).toBeCloseTo(-0.05, 12);
    expect(Number.isNaN(out[3])).toBe(true);
  });
});
