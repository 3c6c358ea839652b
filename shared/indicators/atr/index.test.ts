// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column ATR_14.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { atr, atrLookback } from './index.ts';

testIndicatorContract({
  name: 'atr(14)',
  run: (b) => atr(b.high, b.low, b.close, 14),
  lookback: atrLookback(14),
});

describe.each(TALIB_FIXTURES)('atr against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib ATR(14)', () => {
    const f = fx.load();
    expectTalibMatch(atr(f.input.high, f.input.low, f.input.close, 14), f, 'ATR_14');
  });
});
