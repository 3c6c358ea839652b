// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column TRANGE.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { trange, trangeLookback } from './index.ts';

testIndicatorContract({
  name: 'trange',
  run: (b) => trange(b.high, b.low, b.close),
  lookback: trangeLookback(),
});

describe.each(TALIB_FIXTURES)('trange against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib TRANGE', () => {
    const f = fx.load();
    expectTalibMatch(trange(f.input.high, f.input.low, f.input.close), f, 'TRANGE');
  });
});
