// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns AROON_14_up, AROON_14_down, AROONOSC_14.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { aroon, aroonLookback, aroonWithOsc } from './index.ts';

testIndicatorContract({
  name: 'aroon(25)',
  run: (b) => ({ ...aroon(b.high, b.low, 25) }),
  lookback: aroonLookback(25),
});

testIndicatorContract({
  name: 'aroonWithOsc(14)',
  run: (b) => ({ ...aroonWithOsc(b.high, b.low, 14) }),
  lookback: aroonLookback(14),
});

describe.each(TALIB_FIXTURES)('aroon against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib AROON(14) up and down', () => {
    const f = fx.load();
    const out = aroon(f.input.high, f.input.low, 14);
    expectTalibMatch(out.up, f, 'AROON_14_up');
    expectTalibMatch(out.down, f, 'AROON_14_down');
  });
  it.skipIf(!fx.available)('aroonWithOsc equals TA-Lib AROON(14) and AROONOSC(14)', () => {
    const f = fx.load();
    const out = aroonWithOsc(f.input.high, f.input.low, 14);
    expectTalibMatch(out.up, f, 'AROON_14_up');
    expectTalibMatch(out.down, f, 'AROON_14_down');
    expectTalibMatch(out.osc, f, 'AROONOSC_14');
  });
});

describe('aroon', () => {
  it('counts the most recent of tied extremes, as TA-Lib does', () => {
    // Highs 5,9,9,1 over period 2 (window of 3 bars): at bar 3 the high 9 was last seen 1 bar ago.
    const high = Float64Array.of(5, 9, 9, 1);
    const low = Float64Array.of(1, 1, 1, 1);
    const out = aroon(high, low, 2);
    expect(out.up[3]).toBe(50);
    expect(out.down[3]).toBe(100);
  });

  it('has an oscillator equal to Aroon up minus Aroon down', () => {
    const high = Float64Array.of(5, 9, 9, 1, 4, 7);
    const low = Float64Array.of(1, 2, 0, 3, 2, 5);
    const { up, down, osc } = aroonWithOsc(high, low, 2);
    for (let i = 2; i < high.length; i++) expect(osc[i]).toBeCloseTo(up[i]! - down[i]!, 12);
  });
});
