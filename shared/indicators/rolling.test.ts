// Window extremes against a brute-force reference: every method rolling.ts picks (index tracking, block suffix
// extremes on long windows, the deque once a NaN shows up) must give the same index and the same value bits.
import { describe, expect, it } from 'vitest';
import { randomWalkBars } from '../../test/support/indicator-contract.ts';
import { aroon, aroonWithOsc } from './aroon/index.ts';
import { donchian } from './donchian/index.ts';
import { ichimoku } from './ichimoku/index.ts';
import { midpoint } from './midpoint/index.ts';
import { midprice } from './midprice/index.ts';
import { LONG_WINDOW, rollingExtreme, rollingExtremeIndex } from './rolling.ts';
import { stoch } from './stoch/index.ts';
import { willr } from './willr/index.ts';

/**
 * The definition: the latest highest (lowest) of the window's bars before its first NaN, or that NaN's index
 * when it opens the window; -1 before the first whole window.
 */
function referenceIndex(values: Float64Array, window: number, pick: 'max' | 'min'): Int32Array {
  const out = new Int32Array(values.length).fill(-1);
  for (let i = window - 1; i < values.length; i++) {
    const start = i - window + 1;
    let end = i;
    for (let j = start; j <= i; j++) {
      if (Number.isNaN(values[j]!)) {
        end = j - 1;
        break;
      }
    }
    if (end < start) {
      out[i] = start;
      continue;
    }
    let best = start;
    for (let j = start + 1; j <= end; j++) {
      const v = values[j]!;
      if (pick === 'max' ? v >= values[best]! : v <= values[best]!) best = j;
    }
    out[i] = best;
  }
  return out;
}

function referenceValues(values: Float64Array, window: number, pick: 'max' | 'min'): Float64Array {
  const idx = referenceIndex(values, window, pick);
  return Float64Array.from(idx, (k, i) => (i < window - 1 ? Number.NaN : values[k]!));
}

/** Deterministic awkward series: trends, many ties, signed zeros, and NaNs where asked. */
function awkward(length: number, seed: number, nanRate: number): Float64Array {
  const walk = randomWalkBars(length, seed).close;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    // Rounding makes ties common; a stretch of zeros of both signs tests which tie wins.
    const r = (walk[i]! * 7919) % 1;
    out[i] = i % 97 < 8 ? (r < 0.5 ? -0 : 0) : Math.round(walk[i]! * 2) / 2;
    if (nanRate > 0 && r < nanRate) out[i] = Number.NaN;
  }
  return out;
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('rolling extremes', () => {
  const windows = [1, 2, 3, 5, 14, 20, 26, LONG_WINDOW - 1, LONG_WINDOW, 55, 252];

  it.each([0, 0.002, 0.05])('match the reference with NaN rate %s, short and long windows', (nanRate) => {
    for (const seed of [1, 2, 3]) {
      const values = awkward(700, seed, nanRate);
      for (const window of windows) {
        for (const pick of ['max', 'min'] as const) {
          const label = `seed ${seed}, window ${window}, ${pick}`;
          expect(
            sameBits(rollingExtremeIndex(values, window, pick), referenceIndex(values, window, pick)),
            label,
          ).toBe(true);
          expect(
            sameBits(rollingExtreme(values, window, pick), referenceValues(values, window, pick)),
            label,
          ).toBe(true);
        }
      }
    }
  });

  it('gives the later of tied zeros, as the deque did', () => {
    expect(Object.is(rollingExtreme(Float64Array.of(0, -0), 2, 'max')[1], -0)).toBe(true);
    expect(Object.is(rollingExtreme(Float64Array.of(-0, 0), 2, 'min')[1], 0)).toBe(true);
    const long = new Float64Array(LONG_WINDOW + 1);
    long[LONG_WINDOW] = -0;
    expect(Object.is(rollingExtreme(long, LONG_WINDOW, 'max')[LONG_WINDOW], -0)).toBe(true);
  });

  it('stop at the first NaN of a window and return it when it opens the window', () => {
    const values = Float64Array.of(1, Number.NaN, 2, 3);
    expect(Array.from(rollingExtreme(values, 3, 'max'))).toEqual([Number.NaN, Number.NaN, 1, Number.NaN]);
    expect(Array.from(rollingExtremeIndex(values, 3, 'max'))).toEqual([-1, -1, 0, 1]);
  });
});

describe('kernels tracking highs and lows together', () => {
  // Each fused loop equals its definition on the reference extremes, with and without NaNs.
  it.each([0, 0.01])('equal their definitions with NaN rate %s', (nanRate) => {
    const high = awkward(500, 11, nanRate).map((v) => v + 1);
    const low = awkward(500, 12, nanRate);
    const close = awkward(500, 13, 0);
    for (const period of [2, 5, 14, 25, 60]) {
      const hh = referenceValues(high, period, 'max');
      const ll = referenceValues(low, period, 'min');
      const mid = Float64Array.from(hh, (h, i) => (h + ll[i]!) / 2);
      const w = willr(high, low, close, period);
      for (let i = period - 1; i < 500; i++) {
        const diff = (hh[i]! - ll[i]!) / -100;
        expect(Object.is(w[i], diff !== 0 ? (hh[i]! - close[i]!) / diff : 0), `willr ${period} @${i}`).toBe(
          true,
        );
      }
      const dc = donchian(high, low, period);
      expect(
        sameBits(dc.upper, hh) && sameBits(dc.lower, ll) && sameBits(dc.middle, mid),
        `donchian ${period}`,
      ).toBe(true);
      expect(sameBits(midprice(high, low, period), mid), `midprice ${period}`).toBe(true);
      const lowOfHigh = referenceValues(high, period, 'min');
      const midOfHigh = Float64Array.from(hh, (h, i) => (h + lowOfHigh[i]!) / 2);
      expect(sameBits(midpoint(high, period), midOfHigh), `midpoint ${period}`).toBe(true);
      const hi = referenceIndex(high, period + 1, 'max');
      const lo = referenceIndex(low, period + 1, 'min');
      const factor = 100 / period;
      const up = Float64Array.from(hi, (k, i) => (i < period ? Number.NaN : factor * (period - (i - k))));
      const down = Float64Array.from(lo, (k, i) => (i < period ? Number.NaN : factor * (period - (i - k))));
      const osc = Float64Array.from(hi, (k, i) => (i < period ? Number.NaN : factor * (k - lo[i]!)));
      const a = aroon(high, low, period);
      expect(sameBits(a.up, up) && sameBits(a.down, down), `aroon ${period}`).toBe(true);
      const all = aroonWithOsc(high, low, period);
      expect(sameBits(all.up, up) && sameBits(all.down, down) && sameBits(all.osc, osc), `aroonWithOsc`).toBe(
        true,
      );
    }
  });

  it('give STOCH and Ichimoku the same values whichever path runs', () => {
    // A NaN late in the series sends the whole call down the deque path; bars before it must not change.
    const bars = randomWalkBars(400, 5);
    const high = bars.high.slice();
    high[399] = Number.NaN;
    const clean = stoch(bars.high, bars.low, bars.close, 14, 3, 3);
    const withNaN = stoch(high, bars.low, bars.close, 14, 3, 3);
    expect(sameBits(clean.k.subarray(0, 386), withNaN.k.subarray(0, 386))).toBe(true);
    const a = ichimoku(bars.high, bars.low);
    const b = ichimoku(high, bars.low);
    expect(sameBits(a.spanB.subarray(0, 399), b.spanB.subarray(0, 399))).toBe(true);
    expect(sameBits(a.tenkan.subarray(0, 399), b.tenkan.subarray(0, 399))).toBe(true);
  });
});
