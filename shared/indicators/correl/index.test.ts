// Reference: TA-Lib CORREL is not in the generated fixtures. CORREL(high, low, 30) is checked against a
// straightforward two-pass Pearson correlation of each window, on the real inputs of
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present, ../shared/data/talib/talib_outputs_SPY_D.csv;
// and CORREL(high, low, 20) against TA-Lib's official regression values (src/tools/ta_regtest/ta_test_func/
// test_per_hl.c, ../shared/data/README.md 4b), which TA-Lib checks to an absolute 0.01.
import { describe, expect, it } from 'vitest';
import { flatBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { correl, correlLookback } from './index.ts';

testIndicatorContract({
  name: 'correl(30)',
  run: (b) => correl(b.high, b.low, 30),
  lookback: correlLookback(30),
});

/** Pearson correlation of x[end-period+1..end] and y[same], from deviations about the window means. */
function pearson(x: Float64Array, y: Float64Array, end: number, period: number): number {
  let meanX = 0;
  let meanY = 0;
  for (let i = end - period + 1; i <= end; i++) {
    meanX += x[i]!;
    meanY += y[i]!;
  }
  meanX /= period;
  meanY /= period;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = end - period + 1; i <= end; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe.each(TALIB_FIXTURES)('correl on $name', (fx) => {
  it.skipIf(!fx.available)('equals the two-pass Pearson correlation of high and low over 30 bars', () => {
    const { high, low } = fx.load().input;
    const out = correl(high, low, 30);
    expect(out.slice(0, 29).every(Number.isNaN)).toBe(true);
    const problems: string[] = [];
    for (let i = 29; i < high.length; i++) {
      const expected = pearson(high, low, i, 30);
      if (!(Math.abs(out[i]! - expected) <= 1e-9))
        problems.push(`bar ${i}: got ${out[i]}, Pearson ${expected}`);
    }
    expect(problems.slice(0, 5), `${problems.length} mismatching bars`).toEqual([]);
  });
});

describe('correl', () => {
  it.skipIf(!TALIB_FIXTURES[0]!.available)("matches TA-Lib's official CORREL(high, low, 20) values", () => {
    const { high, low } = TALIB_FIXTURES[0]!.load().input;
    const out = correl(high, low, 20);
    const official: [number, number][] = [
      [19, 0.9401569],
      [20, 0.9471812],
      [251, 0.8866901],
    ];
    for (const [bar, value] of official) expect(Math.abs(out[bar]! - value), `bar ${bar}`).toBeLessThan(1e-6);
  });

  it('is 0 when a window has no variance, as TA-Lib returns', () => {
    const b = flatBars(40);
    expect(correl(b.high, b.close, 30)[39]).toBe(0);
  });
});
