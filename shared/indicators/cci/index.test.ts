// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns CCI_14, CCI_20.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { cci, cciLookback } from './index.ts';

testIndicatorContract({
  name: 'cci(20)',
  run: (b) => cci(b.high, b.low, b.close, 20),
  lookback: cciLookback(20),
});

describe.each(TALIB_FIXTURES)('cci against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib CCI for periods 14 and 20', () => {
    const f = fx.load();
    for (const period of [14, 20]) {
      expectTalibMatch(cci(f.input.high, f.input.low, f.input.close, period), f, `CCI_${period}`);
    }
  });
});
