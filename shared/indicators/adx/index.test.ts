// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns ADX_14, DX_14, PLUS_DI_14, MINUS_DI_14.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { adx, adxLookback, diLookback } from './index.ts';

testIndicatorContract({
  name: 'adx(14)',
  run: (b) => ({ ...adx(b.high, b.low, b.close, 14) }),
  lookback: { adx: adxLookback(14), plusDi: diLookback(14), minusDi: diLookback(14), dx: diLookback(14) },
});

describe.each(TALIB_FIXTURES)('adx against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib ADX, DX, PLUS_DI and MINUS_DI (14)', () => {
    const f = fx.load();
    const out = adx(f.input.high, f.input.low, f.input.close, 14);
    expectTalibMatch(out.adx, f, 'ADX_14');
    expectTalibMatch(out.dx, f, 'DX_14');
    expectTalibMatch(out.plusDi, f, 'PLUS_DI_14');
    expectTalibMatch(out.minusDi, f, 'MINUS_DI_14');
  });
});
