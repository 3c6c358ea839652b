// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column ULTOSC_7_14_28.
import { describe, expect, it } from 'vitest';
import { randomWalkBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { ultosc, ultoscLookback } from './index.ts';

testIndicatorContract({
  name: 'ultosc(7,14,28)',
  run: (b) => ultosc(b.high, b.low, b.close, 7, 14, 28),
  lookback: ultoscLookback(7, 14, 28),
});

describe.each(TALIB_FIXTURES)('ultosc against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib ULTOSC(7, 14, 28)', () => {
    const f = fx.load();
    expectTalibMatch(ultosc(f.input.high, f.input.low, f.input.close, 7, 14, 28), f, 'ULTOSC_7_14_28');
  });
});

describe('ultosc', () => {
  it('weights the periods by length whatever their order, as TA-Lib sorts them', () => {
    const b = randomWalkBars(120);
    expect(ultosc(b.high, b.low, b.close, 28, 7, 14)).toEqual(ultosc(b.high, b.low, b.close, 7, 14, 28));
  });
});
