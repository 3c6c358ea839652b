// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns EMA_5, EMA_10, EMA_12, EMA_20, EMA_26, EMA_50.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { ema, emaLookback } from './index.ts';

testIndicatorContract({ name: 'ema(20)', run: (b) => ema(b.close, 20), lookback: emaLookback(20) });

describe.each(TALIB_FIXTURES)('ema against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib EMA (SMA-seeded) for periods 5 to 50', () => {
    const f = fx.load();
    for (const period of [5, 10, 12, 20, 26, 50])
      expectTalibMatch(ema(f.input.close, period), f, `EMA_${period}`);
  });
});
