// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column NATR_14.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { natr, natrLookback } from './index.ts';

testIndicatorContract({
  name: 'natr(14)',
  run: (b) => natr(b.high, b.low, b.close, 14),
  lookback: natrLookback(14),
});

describe.each(TALIB_FIXTURES)('natr against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib NATR(14), in percent', () => {
    const f = fx.load();
    expectTalibMatch(natr(f.input.high, f.input.low, f.input.close, 14), f, 'NATR_14');
  });
});
