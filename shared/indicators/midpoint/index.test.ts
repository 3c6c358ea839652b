// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column MIDPOINT_14.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { midpoint, midpointLookback } from './index.ts';

testIndicatorContract({
  name: 'midpoint(14)',
  run: (b) => midpoint(b.close, 14),
  lookback: midpointLookback(14),
});

describe.each(TALIB_FIXTURES)('midpoint against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MIDPOINT(14)', () => {
    const f = fx.load();
    expectTalibMatch(midpoint(f.input.close, 14), f, 'MIDPOINT_14');
  });
});
