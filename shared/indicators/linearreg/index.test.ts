// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns LINEARREG_SLOPE_14, LINEARREG_14, TSF_14.
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import {
  linearReg,
  linearRegLookback,
  linearRegSlope,
  linearRegSlopeLookback,
  tsf,
  tsfLookback,
} from './index.ts';

testIndicatorContract({
  name: 'linearRegSlope(14)',
  run: (b) => linearRegSlope(b.close, 14),
  lookback: linearRegSlopeLookback(14),
});
testIndicatorContract({
  name: 'linearReg(14)',
  run: (b) => linearReg(b.close, 14),
  lookback: linearRegLookback(14),
});
testIndicatorContract({ name: 'tsf(14)', run: (b) => tsf(b.close, 14), lookback: tsfLookback(14) });

describe.each(TALIB_FIXTURES)('linear regression against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib LINEARREG_SLOPE, LINEARREG and TSF (14)', () => {
    const f = fx.load();
    expectTalibMatch(linearRegSlope(f.input.close, 14), f, 'LINEARREG_SLOPE_14');
    expectTalibMatch(linearReg(f.input.close, 14), f, 'LINEARREG_14');
    expectTalibMatch(tsf(f.input.close, 14), f, 'TSF_14');
  });
});

describe('linear regression', () => {
  it('recovers a straight line: slope per bar, today on the line, tomorrow one slope further', () => {
    const line = Float64Array.from({ length: 10 }, (_, i) => 3 + 0.5 * i);
    expect(linearRegSlope(line, 5)[9]).toBeCloseTo(0.5, 12);
    expect(linearReg(line, 5)[9]).toBeCloseTo(7.5, 12);
    expect(tsf(line, 5)[9]).toBeCloseTo(8, 12);
  });
});
