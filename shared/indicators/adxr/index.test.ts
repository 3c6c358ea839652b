// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column ADXR_14.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { adxr, adxrLookback } from './index.ts';

testIndicatorContract({
  name: 'adxr(14)',
  run: (b) => adxr(b.high, b.low, b.close, 14),
  lookback: adxrLookback(14),
});

describe.each(TALIB_FIXTURES)('adxr against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib ADXR(14)', () => {
    const f = fx.load();
    expectTalibMatch(adxr(f.input.high, f.input.low, f.input.close, 14), f, 'ADXR_14');
  });
});
