// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column ROC_10.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { roc, rocLookback } from './index.ts';

testIndicatorContract({ name: 'roc(10)', run: (b) => roc(b.close, 10), lookback: rocLookback(10) });

describe.each(TALIB_FIXTURES)('roc against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib ROC(10), in percent', () => {
    const f = fx.load();
    expectTalibMatch(roc(f.input.close, 10), f, 'ROC_10');
  });
});
