// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column VAR_5_1 (TA-Lib's VAR ignores its nbDev).
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { variance, varianceLookback } from './index.ts';

testIndicatorContract({
  name: 'variance(5)',
  run: (b) => variance(b.close, 5),
  lookback: varianceLookback(5),
});

describe.each(TALIB_FIXTURES)('variance against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib VAR(5) (population variance)', () => {
    const f = fx.load();
    expectTalibMatch(variance(f.input.close, 5), f, 'VAR_5_1');
  });
});

describe('variance', () => {
  it('is the population variance of the window', () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 4.
    expect(variance(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9), 8)[7]).toBeCloseTo(4, 12);
  });
});
