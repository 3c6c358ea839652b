// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column MAX_30 (TA-Lib MAX on close).
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { max, maxLookback } from './index.ts';

testIndicatorContract({ name: 'max(30)', run: (b) => max(b.high, 30), lookback: maxLookback(30) });

describe.each(TALIB_FIXTURES)('max against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MAX(30)', () => {
    const f = fx.load();
    expectTalibMatch(max(f.input.close, 30), f, 'MAX_30');
  });
});
