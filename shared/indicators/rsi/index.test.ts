// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// columns RSI_14, RSI_2.
import { describe, expect, it } from 'vitest';
import { flatBars, testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { rsi, rsiLookback } from './index.ts';

testIndicatorContract({ name: 'rsi(14)', run: (b) => rsi(b.close, 14), lookback: rsiLookback(14) });

describe.each(TALIB_FIXTURES)('rsi against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib RSI (Wilder) for periods 14 and 2', () => {
    const f = fx.load();
    for (const period of [14, 2]) expectTalibMatch(rsi(f.input.close, period), f, `RSI_${period}`);
  });
});

describe('rsi', () => {
  it('is 0 on a flat series, as TA-Lib returns when there is neither gain nor loss', () => {
    expect(rsi(flatBars(20).close, 14)[19]).toBe(0);
  });
});
