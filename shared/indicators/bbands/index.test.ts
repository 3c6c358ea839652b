// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns BBANDS_20_2_2_SMA_upper, _middle, _lower.
import { describe, expect, it } from 'vitest';
import { flatBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { bbands, bbandsLookback } from './index.ts';

testIndicatorContract({
  name: 'bbands(20,2)',
  run: (b) => ({ ...bbands(b.close, 20, 2) }),
  lookback: bbandsLookback(20),
});

describe.each(TALIB_FIXTURES)('bbands against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib BBANDS(20, 2, 2, SMA)', () => {
    const f = fx.load();
    const out = bbands(f.input.close, 20, 2);
    expectTalibMatch(out.upper, f, 'BBANDS_20_2_2_SMA_upper');
    expectTalibMatch(out.middle, f, 'BBANDS_20_2_2_SMA_middle');
    expectTalibMatch(out.lower, f, 'BBANDS_20_2_2_SMA_lower');
  });
});

describe('bbands', () => {
  it('leaves only rounding noise (< 1e-6 of the price) between the bands on a flat series', () => {
    // TA-Lib's sqrt(mean(x²) - mean²) is not exactly 0 for most flat prices; features treat this as collapsed.
    const out = bbands(flatBars(25).close, 20, 2);
    expect((out.upper[24]! - out.lower[24]!) / out.middle[24]!).toBeLessThan(1e-6);
  });
});
