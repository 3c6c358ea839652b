// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column DEMA_10.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { dema, demaLookback } from './index.ts';

testIndicatorContract({ name: 'dema(10)', run: (b) => dema(b.close, 10), lookback: demaLookback(10) });

describe.each(TALIB_FIXTURES)('dema against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib DEMA(10), both EMAs SMA-seeded', () => {
    const f = fx.load();
    expectTalibMatch(dema(f.input.close, 10), f, 'DEMA_10');
  });
});
