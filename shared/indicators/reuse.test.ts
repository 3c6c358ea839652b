// Kernels that take an intermediate another kernel already computed (the feature catalogue shares them) must
// return exactly what the self-contained kernel returns.
import { describe, expect, it } from 'vitest';
import { flatBars, type Ohlcv, randomWalkBars } from '../../test/support/indicator-contract.ts';
import { ad } from './ad/index.ts';
import { adosc, adoscOfAd } from './adosc/index.ts';
import { adx } from './adx/index.ts';
import { adxr, adxrOfAdx } from './adxr/index.ts';
import { atr } from './atr/index.ts';
import { rollingBeta, rollingBetaCorrelation, rollingCorrelation } from './beta/index.ts';
import { dema, demaOfEma } from './dema/index.ts';
import { ema } from './ema/index.ts';
import { natr, natrOfAtr } from './natr/index.ts';
import { ppo, ppoOfAverages } from './ppo/index.ts';
import { rsi } from './rsi/index.ts';
import { stochRsi, stochRsiOfRsi } from './stochrsi/index.ts';
import { tema, temaOfEma } from './tema/index.ts';
import { closeLogReturns, realizedVol, realizedVolOfReturns } from './volatility/index.ts';

const sameBits = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

function withGaps(bars: Ohlcv): Ohlcv {
  const copy = {
    open: bars.open.slice(),
    high: bars.high.slice(),
    low: bars.low.slice(),
    close: bars.close.slice(),
    volume: bars.volume.slice(),
  };
  for (const i of [3, 40, 41, 150]) {
    copy.close[i] = Number.NaN;
    copy.high[i + 1] = Number.NaN;
  }
  return copy;
}

const cases: [string, Ohlcv][] = [
  ['a random walk', randomWalkBars(300, 3)],
  ['flat bars', flatBars(300)],
  ['bars with NaNs', withGaps(randomWalkBars(300, 4))],
  ['a short series', randomWalkBars(12, 5)],
];

describe.each(cases)('shared intermediates on %s', (_, b) => {
  it('give the self-contained kernels’ values', () => {
    for (const p of [2, 5, 14]) {
      expect(
        sameBits(adxrOfAdx(adx(b.high, b.low, b.close, p).adx, p), adxr(b.high, b.low, b.close, p)),
      ).toBe(true);
      expect(
        sameBits(natrOfAtr(atr(b.high, b.low, b.close, p), b.close, p), natr(b.high, b.low, b.close, p)),
      ).toBe(true);
      expect(sameBits(demaOfEma(ema(b.close, p), p), dema(b.close, p))).toBe(true);
      expect(sameBits(temaOfEma(ema(b.close, p), p), tema(b.close, p))).toBe(true);
      expect(
        sameBits(ppoOfAverages(ema(b.close, p), ema(b.close, p + 9), p + 9), ppo(b.close, p, p + 9, 'ema')),
      ).toBe(true);
      const fromRsi = stochRsiOfRsi(rsi(b.close, p), p, 14, 3);
      const direct = stochRsi(b.close, p, 14, 3);
      expect(sameBits(fromRsi.k, direct.k) && sameBits(fromRsi.d, direct.d)).toBe(true);
      const line = ad(b.high, b.low, b.close, b.volume);
      expect(sameBits(adoscOfAd(line, p, p + 7), adosc(b.high, b.low, b.close, b.volume, p, p + 7))).toBe(
        true,
      );
      const returns = closeLogReturns(b.close);
      expect(sameBits(realizedVolOfReturns(returns, p, 252), realizedVol(b.close, p, 252))).toBe(true);
      const both = rollingBetaCorrelation(b.close, b.high, p);
      expect(sameBits(both.beta, rollingBeta(b.close, b.high, p))).toBe(true);
      expect(sameBits(both.correlation, rollingCorrelation(b.close, b.high, p))).toBe(true);
    }
  });
});
