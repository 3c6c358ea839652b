// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column ADOSC_3_10; ADOSC(5, 2) (fast period longer than slow) against TA-Lib's official regression value
// (src/tools/ta_regtest/ta_test_func/test_per_hlcv.c, ../shared/data/README.md 4b; checked to 0.01).
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { adosc, adoscLookback } from './index.ts';

testIndicatorContract({
  name: 'adosc(3,10)',
  run: (b) => adosc(b.high, b.low, b.close, b.volume, 3, 10),
  lookback: adoscLookback(3, 10),
});

describe.each(TALIB_FIXTURES)('adosc against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib ADOSC(3, 10)', () => {
    const f = fx.load();
    const { high, low, close, volume } = f.input;
    expectTalibMatch(adosc(high, low, close, volume, 3, 10), f, 'ADOSC_3_10');
  });
});

describe('adosc', () => {
  it.skipIf(!TALIB_FIXTURES[0]!.available)(
    'keeps EMA(fast) - EMA(slow) when fast > slow (no swap), as TA-Lib',
    () => {
      const { high, low, close, volume } = TALIB_FIXTURES[0]!.load().input;
      const out = adosc(high, low, close, volume, 5, 2);
      expect(adoscLookback(5, 2)).toBe(4);
      expect(Math.abs(out[4]! - 585361.28)).toBeLessThan(0.01);
    },
  );
});
