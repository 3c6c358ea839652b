// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column AROONOSC_14.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { aroon } from '../aroon/index.ts';
import { aroonosc, aroonoscLookback } from './index.ts';

testIndicatorContract({
  name: 'aroonosc(14)',
  run: (b) => aroonosc(b.high, b.low, 14),
  lookback: aroonoscLookback(14),
});

describe.each(TALIB_FIXTURES)('aroonosc against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib AROONOSC(14)', () => {
    const f = fx.load();
    expectTalibMatch(aroonosc(f.input.high, f.input.low, 14), f, 'AROONOSC_14');
  });
});

describe('aroonosc', () => {
  it('is Aroon up minus Aroon down', () => {
    const high = Float64Array.of(5, 9, 9, 1, 4, 7);
    const low = Float64Array.of(1, 2, 0, 3, 2, 5);
    const osc = aroonosc(high, low, 2);
    const { up, down } = aroon(high, low, 2);
    for (let i = 2; i < high.length; i++) expect(osc[i]).toBeCloseTo(up[i]! - down[i]!, 12);
  });
});
