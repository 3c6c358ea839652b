// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column BOP.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { bop, bopLookback } from './index.ts';

testIndicatorContract({
  name: 'bop',
  run: (b) => bop(b.open, b.high, b.low, b.close),
  lookback: bopLookback(),
});

describe.each(TALIB_FIXTURES)('bop against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib BOP', () => {
    const f = fx.load();
    expectTalibMatch(bop(f.input.open, f.input.high, f.input.low, f.input.close), f, 'BOP');
  });
});

describe('bop', () => {
  it('is 0 on a bar without range, as TA-Lib returns', () => {
    const p = Float64Array.of(10);
    expect(bop(p, p, p, Float64Array.of(10))[0]).toBe(0);
  });
});
