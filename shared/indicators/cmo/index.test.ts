// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column CMO_14 (TA_COMPATIBILITY_DEFAULT).
import { describe, expect, it } from 'vitest';
import { flatBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { cmo, cmoLookback } from './index.ts';

testIndicatorContract({ name: 'cmo(14)', run: (b) => cmo(b.close, 14), lookback: cmoLookback(14) });

describe.each(TALIB_FIXTURES)('cmo against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib CMO(14) in default compatibility', () => {
    const f = fx.load();
    expectTalibMatch(cmo(f.input.close, 14), f, 'CMO_14');
  });
});

describe('cmo', () => {
  it('is 0 on a flat series, as TA-Lib returns when there is neither gain nor loss', () => {
    expect(cmo(flatBars(20).close, 14)[19]).toBe(0);
  });
});
