// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column APO_12_26_SMA. The fixture has no EMA variant: for 'ema' TA-Lib's APO is EMA(fast) - EMA(slow) with
// each EMA the plain TA-Lib EMA from the first bar (TA_MA over the whole range, not MACD's shared seed bar),
// so 'ema' is checked against that formula built from the ema kernel (itself matched to TA-Lib's EMA columns).
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { ema } from '../ema/index.ts';
import { apo, apoLookback, apoOfAverages } from './index.ts';

testIndicatorContract({
  name: 'apo(12,26,sma)',
  run: (b) => apo(b.close, 12, 26, 'sma'),
  lookback: apoLookback(12, 26),
});
testIndicatorContract({
  name: 'apo(12,26,ema)',
  run: (b) => apo(b.close, 12, 26, 'ema'),
  lookback: apoLookback(12, 26),
});

describe.each(TALIB_FIXTURES)('apo against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib APO(12, 26, SMA)', () => {
    const f = fx.load();
    expectTalibMatch(apo(f.input.close, 12, 26, 'sma'), f, 'APO_12_26_SMA');
  });

  it.skipIf(!fx.available)("equals EMA(12) - EMA(26) of TA-Lib's EMA for 'ema'", () => {
    const close = fx.load().input.close;
    const fast = ema(close, 12);
    const slow = ema(close, 26);
    const out = apo(close, 12, 26, 'ema');
    expect(out.slice(0, 25).every(Number.isNaN)).toBe(true);
    for (let i = 25; i < close.length; i++) expect(out[i]).toBe(fast[i]! - slow[i]!);
    // The catalogue's apo_12_26 takes the EMAs it shares with other features.
    expect(apoOfAverages(fast, slow, 26)).toEqual(out);
  });
});

describe('apo', () => {
  it('swaps periods given in the wrong order, as TA-Lib does', () => {
    const close = Float64Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i));
    expect(apo(close, 26, 12, 'sma')).toEqual(apo(close, 12, 26, 'sma'));
  });
});
