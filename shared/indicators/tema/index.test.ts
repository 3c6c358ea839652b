// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column TEMA_10.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { tema, temaLookback } from './index.ts';

testIndicatorContract({ name: 'tema(10)', run: (b) => tema(b.close, 10), lookback: temaLookback(10) });

describe.each(TALIB_FIXTURES)('tema against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib TEMA(10), all three EMAs SMA-seeded', () => {
    const f = fx.load();
    expectTalibMatch(tema(f.input.close, 10), f, 'TEMA_10');
  });
});
