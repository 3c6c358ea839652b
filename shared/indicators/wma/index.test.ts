// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns WMA_10, WMA_30.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { wma, wmaLookback } from './index.ts';

testIndicatorContract({ name: 'wma(10)', run: (b) => wma(b.close, 10), lookback: wmaLookback(10) });

describe.each(TALIB_FIXTURES)('wma against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib WMA for periods 10 and 30', () => {
    const f = fx.load();
    for (const period of [10, 30]) expectTalibMatch(wma(f.input.close, period), f, `WMA_${period}`);
  });
});
