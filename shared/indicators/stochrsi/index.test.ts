// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns STOCHRSI_14_5_3_SMA_fastk, STOCHRSI_14_5_3_SMA_fastd. Other periods (the product's 14, 14, 3) are
// checked against TA-Lib's official STOCHRSI regression values (src/tools/ta_regtest/ta_test_func/test_stoch.c,
// ../shared/data/README.md 4b; TA-Lib checks them to an absolute 0.01) and against STOCHF's definition applied
// to the fixture's TA-Lib RSI_14 column.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { stochRsi, stochRsiLookback } from './index.ts';

testIndicatorContract({
  name: 'stochRsi(14,14,3)',
  run: (b) => ({ ...stochRsi(b.close, 14, 14, 3) }),
  lookback: stochRsiLookback(14, 14, 3),
});

describe.each(TALIB_FIXTURES)('stochRsi against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib STOCHRSI(14, 5, 3, SMA) fast %K and %D', () => {
    const f = fx.load();
    const out = stochRsi(f.input.close, 14, 5, 3);
    expectTalibMatch(out.k, f, 'STOCHRSI_14_5_3_SMA_fastk');
    expectTalibMatch(out.d, f, 'STOCHRSI_14_5_3_SMA_fastd');
  });

  it.skipIf(!fx.available)("equals STOCHF(14, 3) of TA-Lib's RSI(14) for the product's 14, 14, 3", () => {
    const f = fx.load();
    const rsi = f.column('RSI_14');
    const out = stochRsi(f.input.close, 14, 14, 3);
    const begin = stochRsiLookback(14, 14, 3);
    expect(out.k.slice(0, begin).every(Number.isNaN) && out.d.slice(0, begin).every(Number.isNaN)).toBe(true);
    const fastK = (i: number): number => {
      const window = rsi.slice(i - 13, i + 1);
      const lo = Math.min(...window);
      const hi = Math.max(...window);
      return hi === lo ? 0 : (100 * (rsi[i]! - lo)) / (hi - lo);
    };
    const problems: string[] = [];
    for (let i = begin; i < f.rows; i++) {
      const k = fastK(i);
      const d = (fastK(i - 2) + fastK(i - 1) + k) / 3;
      if (!(Math.abs(out.k[i]! - k) <= 1e-9 && Math.abs(out.d[i]! - d) <= 1e-9)) {
        problems.push(`bar ${i}: got ${out.k[i]}/${out.d[i]}, expected ${k}/${d}`);
      }
    }
    expect(problems.slice(0, 5), `${problems.length} mismatching bars`).toEqual([]);
  });
});

describe('stochRsi', () => {
  it.skipIf(!TALIB_FIXTURES[0]!.available)(
    "matches TA-Lib's official STOCHRSI values for other periods",
    () => {
      const close = TALIB_FIXTURES[0]!.load().input.close;
      // [timePeriod, fastK, fastD, bar, fast %K, fast %D]
      const official: [number, number, number, number, number, number][] = [
        [14, 14, 1, 27, 94.156709, 94.156709],
        [14, 14, 1, 251, 0, 0],
        [14, 45, 1, 58, 79.729186, 79.729186],
        [14, 45, 1, 251, 48.1550743, 48.1550743],
        [11, 13, 16, 38, 5.25947, 57.1711],
        [11, 13, 16, 251, 0, 15.7303],
      ];
      for (const [period, fastK, fastD, bar, k, d] of official) {
        const out = stochRsi(close, period, fastK, fastD);
        const label = `STOCHRSI(${period},${fastK},${fastD}) bar ${bar}`;
        expect(stochRsiLookback(period, fastK, fastD), label).toBeLessThanOrEqual(bar);
        expect(Math.abs(out.k[bar]! - k), `${label} %K`).toBeLessThan(0.01);
        expect(Math.abs(out.d[bar]! - d), `${label} %D`).toBeLessThan(0.01);
      }
    },
  );
});
