// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column TRIX_15.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { trix, trixLookback } from './index.ts';

testIndicatorContract({ name: 'trix(15)', run: (b) => trix(b.close, 15), lookback: trixLookback(15) });

describe.each(TALIB_FIXTURES)('trix against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib TRIX(15), in percent', () => {
    const f = fx.load();
    expectTalibMatch(trix(f.input.close, 15), f, 'TRIX_15');
  });
});
