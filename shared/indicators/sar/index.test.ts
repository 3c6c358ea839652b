// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column SAR_0.02_0.2. Also TA-Lib's official regression values on Wilder's 38-bar SAR data
// (src/tools/ta_regtest/ta_test_func/test_sar.c, arrays wilderHigh/wilderLow; ../shared/data/README.md 4a/4b),
// which TA-Lib checks to an absolute 0.01.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { sar, sarLookback } from './index.ts';

testIndicatorContract({
  name: 'sar(0.02,0.2)',
  run: (b) => sar(b.high, b.low, 0.02, 0.2),
  lookback: sarLookback(),
});

describe.each(TALIB_FIXTURES)('sar against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib SAR(0.02, 0.2)', () => {
    const f = fx.load();
    expectTalibMatch(sar(f.input.high, f.input.low, 0.02, 0.2), f, 'SAR_0.02_0.2');
  });
});

// biome-ignore format: 19 bars per row, in the order of test_sar.c
const WILDER_HIGH = Float64Array.of(
  51.12, 52.35, 52.1, 51.8, 52.1, 52.5, 52.8, 52.5, 53.5, 53.5, 53.8, 54.2, 53.4, 53.5, 54.4, 55.2, 55.7, 57.0, 57.5,
  58.0, 57.7, 58.0, 57.5, 57.0, 56.7, 57.5, 56.7, 56.0, 56.2, 54.8, 55.5, 54.7, 54.0, 52.5, 51.0, 51.5, 51.7, 53.0,
);
// biome-ignore format: see above
const WILDER_LOW = Float64Array.of(
  50.0, 51.5, 51.0, 50.5, 51.25, 51.7, 51.85, 51.5, 52.3, 52.5, 53.0, 53.5, 52.5, 52.1, 53.0, 54.0, 55.0, 56.0, 56.5,
  57.0, 56.5, 57.3, 56.7, 56.3, 56.2, 56.0, 55.5, 55.0, 54.9, 54.0, 54.5, 53.8, 53.0, 51.5, 50.0, 50.5, 50.2, 51.5,
);

describe('sar', () => {
  it("matches TA-Lib's official SAR values on Wilder's data", () => {
    const out = sar(WILDER_HIGH, WILDER_LOW, 0.02, 0.2);
    // Output element k of the C test is bar k + 1 (outBegIdx 1).
    const official: [number, number][] = [
      [1, 50.0],
      [2, 50.047],
      [5, 50.182],
      [36, 52.93],
      [37, 50.0],
    ];
    for (const [bar, value] of official) expect(Math.abs(out[bar]! - value), `bar ${bar}`).toBeLessThan(0.01);
  });

  it('starts short, SAR at bar 0 high, when bar 1 has a positive -DM larger than its +DM', () => {
    const out = sar(Float64Array.of(10, 9.9), Float64Array.of(9, 8.5));
    expect(out[1]).toBe(10);
  });

  it('starts long, SAR at bar 0 low, when there is no -DM (including an inside bar)', () => {
    expect(sar(Float64Array.of(10, 10.5), Float64Array.of(9, 9.2))[1]).toBe(9);
    expect(sar(Float64Array.of(10, 9.8), Float64Array.of(9, 9.2))[1]).toBe(9);
  });

  it('starts long on a +DM/-DM tie and reverses at once when bar 1 pierces bar 0 low', () => {
    // High +0.5, low -0.5: no -DM (tie), so long with SAR 9; low 8.5 <= 9 flips to short at the EP 10.5.
    expect(sar(Float64Array.of(10, 10.5), Float64Array.of(9, 8.5))[1]).toBe(10.5);
  });
});
