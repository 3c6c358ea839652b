// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column MIDPRICE_14.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { midprice, midpriceLookback } from './index.ts';

testIndicatorContract({
  name: 'midprice(14)',
  run: (b) => midprice(b.high, b.low, 14),
  lookback: midpriceLookback(14),
});

describe.each(TALIB_FIXTURES)('midprice against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MIDPRICE(14)', () => {
    const f = fx.load();
    expectTalibMatch(midprice(f.input.high, f.input.low, 14), f, 'MIDPRICE_14');
  });
});
