// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column MINUS_DM_14.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { minusDm, minusDmLookback } from './index.ts';

testIndicatorContract({
  name: 'minusDm(14)',
  run: (b) => minusDm(b.high, b.low, 14),
  lookback: minusDmLookback(14),
});

describe.each(TALIB_FIXTURES)('minusDm against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MINUS_DM(14)', () => {
    const f = fx.load();
    expectTalibMatch(minusDm(f.input.high, f.input.low, 14), f, 'MINUS_DM_14');
  });
});

describe('minusDm', () => {
  it('is the raw one-bar -DM for period 1, 0 when the high rose further or on a tie', () => {
    // Bar 1: high +2, low +1 -> neither. Bar 2: high +1, low -3 -> -DM 3. Bar 3: high +1, low -1 -> tie.
    const high = Float64Array.of(10, 12, 13, 14);
    const low = Float64Array.of(9, 10, 7, 6);
    expect(Array.from(minusDm(high, low, 1))).toEqual([Number.NaN, 0, 3, 0]);
  });
});
