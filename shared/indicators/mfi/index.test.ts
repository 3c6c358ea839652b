// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column MFI_14.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { mfi, mfiLookback } from './index.ts';

testIndicatorContract({
  name: 'mfi(14)',
  run: (b) => mfi(b.high, b.low, b.close, b.volume, 14),
  lookback: mfiLookback(14),
});

describe.each(TALIB_FIXTURES)('mfi against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MFI(14)', () => {
    const f = fx.load();
    expectTalibMatch(mfi(f.input.high, f.input.low, f.input.close, f.input.volume, 14), f, 'MFI_14');
  });
});
