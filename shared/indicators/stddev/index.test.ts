// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns STDDEV_5_1, STDDEV_20_1.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { stddev, stddevLookback } from './index.ts';

testIndicatorContract({ name: 'stddev(20)', run: (b) => stddev(b.close, 20), lookback: stddevLookback(20) });

describe.each(TALIB_FIXTURES)('stddev against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib STDDEV (population, nbDev 1) for periods 5 and 20', () => {
    const f = fx.load();
    for (const period of [5, 20]) expectTalibMatch(stddev(f.input.close, period), f, `STDDEV_${period}_1`);
  });
});
