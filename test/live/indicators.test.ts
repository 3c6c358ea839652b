import { describe, expect, it } from 'vitest';
import { atr } from '../../shared/indicators/atr/index.ts';
import { macd } from '../../shared/indicators/macd/index.ts';
import { rsi } from '../../shared/indicators/rsi/index.ts';
import { zscore } from '../../shared/indicators/zscore/index.ts';
import {
  classifyTrade,
  newAtr,
  newFlow,
  newMacd,
  newRsi,
  newWindow,
  pushWindow,
  stepAtr,
  stepFlow,
  stepMacd,
  stepRsi,
  windowAt,
  windowZscore,
} from '../../shared/live/indicators.ts';
import { createRng } from '../../shared/providers/demo/generate.ts';

function series(n: number) {
  const rng = createRng('live-indicators');
  const close = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    p *= Math.exp(0.01 * rng.normal());
    close[i] = p;
    high[i] = p * (1 + 0.005 * rng.uniform());
    low[i] = p * (1 - 0.005 * rng.uniform());
  }
  return { close, high, low };
}

const same = (a: number | null, b: number) =>
  Number.isNaN(b) ? a === null : a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('incremental indicators equal the batch kernels', () => {
  const { close, high, low } = series(300);

  it('RSI(14), MACD(12,26,9) histogram and ATR(14) bar by bar', () => {
    const r = rsi(close, 14);
    const m = macd(close, 12, 26, 9);
    const a = atr(high, low, close, 14);
    const rs = newRsi(14);
    const ms = newMacd(12, 26, 9);
    const as = newAtr(14);
    for (let i = 0; i < close.length; i++) {
      expect(same(stepRsi(rs, close[i]!), r[i]!), `rsi ${i}`).toBe(true);
      expect(same(stepMacd(ms, close[i]!), m.hist[i]!), `macd ${i}`).toBe(true);
      expect(same(stepAtr(as, high[i]!, low[i]!, close[i]!), a[i]!), `atr ${i}`).toBe(true);
    }
    // The state is plain JSON: a round trip continues identically.
    const copy = JSON.parse(JSON.stringify(rs));
    expect(stepRsi(copy, 101)).toBe(stepRsi(rs, 101));
  });

  it('the z-score of a window is the catalogue z-score', () => {
    const z = zscore(close, 20);
    const w = newWindow(20);
    for (let i = 0; i < close.length; i++) {
      pushWindow(w, close[i]!);
      expect(same(windowZscore(w), z[i]!), `z ${i}`).toBe(true);
    }
    expect(windowAt(w, 0)).toBe(close[close.length - 1]);
    expect(windowAt(w, 19)).toBe(close[close.length - 20]);
    expect(windowAt(w, 20)).toBeNull();
  });
});

describe('order-flow imbalance', () => {
  it('classifies by the quote, then the tick rule, then the previous class', () => {
    expect(classifyTrade(10.02, 10, 10.02, null, 0)).toBe(1);
    expect(classifyTrade(10, 10, 10.02, null, 0)).toBe(-1);
    // At the midpoint: the tick rule.
    expect(classifyTrade(10.01, 10, 10.02, 10, 0)).toBe(1);
    expect(classifyTrade(10.01, 10, 10.02, 10.05, 0)).toBe(-1);
    expect(classifyTrade(10.01, 10, 10.02, 10.01, -1)).toBe(-1);
    // No quote and no previous trade: unknown.
    expect(classifyTrade(10, null, null, null, 0)).toBe(0);
  });

  it('is net buy volume over total with decaying weights', () => {
    const f = newFlow(1);
    expect(stepFlow(f, 10, 100, 0)).toBeNull();
    expect(stepFlow(f, 10, 100, 1)).toBe(1);
    // Half-life of one trade: the 100 bought counts 50 when 100 are sold.
    expect(stepFlow(f, 10, 100, -1)).toBeCloseTo((50 - 100) / 150, 12);
  });
});
