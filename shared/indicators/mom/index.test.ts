// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column MOM_10.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { mom, momLookback } from './index.ts';

testIndicatorContract({ name: 'mom(10)', run: (b) => mom(b.close, 10), lookback: momLookback(10) });

describe.each(TALIB_FIXTURES)('mom against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MOM(10)', () => {
    const f = fx.load();
    expectTalibMatch(mom(f.input.close, 10), f, 'MOM_10');
  });
});
