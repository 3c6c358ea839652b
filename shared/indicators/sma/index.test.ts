// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns SMA_5, SMA_10, SMA_20, SMA_30, SMA_50, SMA_200.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { sma, smaLookback } from './index.ts';

testIndicatorContract({ name: 'sma(20)', run: (b) => sma(b.close, 20), lookback: smaLookback(20) });

describe.each(TALIB_FIXTURES)('sma against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib SMA for periods 5 to 200', () => {
    const f = fx.load();
    for (const period of [5, 10, 20, 30, 50, 200])
      expectTalibMatch(sma(f.input.close, period), f, `SMA_${period}`);
  });
});
