// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column OBV.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { obv, obvLookback } from './index.ts';

testIndicatorContract({ name: 'obv', run: (b) => obv(b.close, b.volume), lookback: obvLookback() });

describe.each(TALIB_FIXTURES)('obv against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib OBV, which starts at the first bar volume', () => {
    const f = fx.load();
    expectTalibMatch(obv(f.input.close, f.input.volume), f, 'OBV');
  });
});
