// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns STOCH_5_3_SMA_3_SMA_slowk/_slowd and STOCH_14_3_SMA_3_SMA_slowk/_slowd.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { stoch, stochLookback } from './index.ts';

testIndicatorContract({
  name: 'stoch(14,3,3)',
  run: (b) => ({ ...stoch(b.high, b.low, b.close, 14, 3, 3) }),
  lookback: stochLookback(14, 3, 3),
});

describe.each(TALIB_FIXTURES)('stoch against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib STOCH(5|14, 3, SMA, 3, SMA) slow %K and %D', () => {
    const f = fx.load();
    for (const fastK of [5, 14]) {
      const out = stoch(f.input.high, f.input.low, f.input.close, fastK, 3, 3);
      expectTalibMatch(out.k, f, `STOCH_${fastK}_3_SMA_3_SMA_slowk`);
      expectTalibMatch(out.d, f, `STOCH_${fastK}_3_SMA_3_SMA_slowd`);
    }
  });
});
