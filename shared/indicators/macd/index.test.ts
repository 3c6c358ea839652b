// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns MACD_12_26_9_macd, MACD_12_26_9_signal, MACD_12_26_9_hist.
import { describe, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { macd, macdLookback } from './index.ts';

testIndicatorContract({
  name: 'macd(12,26,9)',
  run: (b) => ({ ...macd(b.close) }),
  lookback: macdLookback(),
});

describe.each(TALIB_FIXTURES)('macd against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib MACD(12,26,9) line, signal and histogram', () => {
    const f = fx.load();
    const out = macd(f.input.close, 12, 26, 9);
    expectTalibMatch(out.macd, f, 'MACD_12_26_9_macd');
    expectTalibMatch(out.signal, f, 'MACD_12_26_9_signal');
    expectTalibMatch(out.hist, f, 'MACD_12_26_9_hist');
  });
});
