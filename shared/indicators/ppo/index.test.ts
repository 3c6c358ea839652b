// Reference: TA-Lib 0.6.0-dev via npm talib@2.0.5, full-precision outputs in
// test/fixtures/talib/talib_outputs_regtest252.csv and, when present,
// ../shared/data/talib/talib_outputs_SPY_D.csv,
// column PPO_12_26_SMA. The fixture has no EMA variant: for 'ema' TA-Lib's PPO is
// (EMA(fast) - EMA(slow)) / EMA(slow) * 100 with each EMA the plain TA-Lib EMA from the first bar (TA_MA over
// the whole range, not MACD's shared seed bar), so 'ema' is checked against that formula built from the ema
// kernel (itself matched to TA-Lib's EMA columns).
import { describe, expect, it } from 'vitest';
import { testIndicatorContract } from '../../../test/support/indicator-contract.ts';
import { expectTalibMatch, TALIB_FIXTURES } from '../../../test/support/talib-fixture.ts';
import { ema } from '../ema/index.ts';
import { ppo, ppoLookback } from './index.ts';

testIndicatorContract({
  name: 'ppo(12,26,sma)',
  run: (b) => ppo(b.close, 12, 26, 'sma'),
  lookback: ppoLookback(12, 26),
});
testIndicatorContract({
  name: 'ppo(12,26,ema)',
  run: (b) => ppo(b.close, 12, 26, 'ema'),
  lookback: ppoLookback(12, 26),
});

describe.each(TALIB_FIXTURES)('ppo against TA-Lib on $name', (fx) => {
  it.skipIf(!fx.available)('equals TA-Lib PPO(12, 26, SMA), in percent', () => {
    const f = fx.load();
    expectTalibMatch(ppo(f.input.close, 12, 26, 'sma'), f, 'PPO_12_26_SMA');
  });

  it.skipIf(!fx.available)("equals (EMA(12) - EMA(26)) / EMA(26) * 100 of TA-Lib's EMA for 'ema'", () => {
    const close = fx.load().input.close;
    const fast = ema(close, 12);
    const slow = ema(close, 26);
    const out = ppo(close, 12, 26, 'ema');
    expect(out.slice(0, 25).every(Number.isNaN)).toBe(true);
    for (let i = 25; i < close.length; i++) expect(out[i]).toBe(((fast[i]! - slow[i]!) / slow[i]!) * 100);
  });
});

describe('ppo', () => {
  it('is 0 where the slow average is 0, as TA-Lib returns', () => {
    expect(ppo(new Float64Array(30), 12, 26, 'sma')[29]).toBe(0);
  });
});
