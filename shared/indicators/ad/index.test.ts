// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column AD.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { ad, adLookback } from './index.ts';

testIndicatorContract({
  name: 'ad',
  run: (b) => ad(b.high, b.low, b.close, b.volume),
  lookback: adLookback(),
});

describe.each(TALIB_FIXTURES)('ad against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib AD (Chaikin A/D line)', () => {
    const f = fx.load();
    expectTalibMatch(ad(f.input.high, f.input.low, f.input.close, f.input.volume), f, 'AD');
  });
});
