// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column MIN_30 (TA-Lib MIN on close).
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { min, minLookback } from './index.ts';

testIndicatorContract({ name: 'min(30)', run: (b) => min(b.low, 30), lookback: minLookback(30) });

describe.each(TALIB_FIXTURES)('min against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MIN(30)', () => {
    const f = fx.load();
    expectTalibMatch(min(f.input.close, 30), f, 'MIN_30');
  });
});
