import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test/support/random.ts';
import { computeFeatures } from '../../features/compute.ts';
import { evaluateTemplate } from '../../signals/evaluate.ts';
import { parseTemplate } from '../../signals/schema.ts';
import { bearFlag, bullFlag, doubleTop, flagLookback, inverseHeadShoulders } from './index.ts';
import { pivotFlags } from './pivots.ts';

interface Drawn {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
}

/**
 * A hand-drawn series: closes interpolated linearly between [bar, price] waypoints (the first
 * waypoint's price held before it), highs and lows `spread` either side of the close.
 */
function draw(points: readonly [number, number][], length: number, spread = 0.5): Drawn {
  const close = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const k = points.findIndex(([bar]) => bar >= i);
    if (k <= 0) close[i] = k === 0 ? points[0]![1] : points.at(-1)![1];
    else {
      const [b0, p0] = points[k - 1]!;
      const [b1, p1] = points[k]!;
      close[i] = p0 + ((p1 - p0) * (i - b0)) / (b1 - b0);
    }
  }
  return {
    close,
    high: close.map((c) => c + spread),
    low: close.map((c) => c - spread),
  };
}

type Detector = (high: Float64Array, low: Float64Array, close: Float64Array) => Float64Array;
const run = (detect: Detector, s: Drawn) => detect(s.high, s.low, s.close);
/** The bars a detector fired on. */
const fired = (values: Float64Array) => [...values.keys()].filter((i) => values[i] === 1);

describe('pivotFlags', () => {
  it('marks a high above the k bars before it and not below the k after, the first of equal highs', () => {
    const v = Float64Array.from([1, 2, 5, 3, 2, 4, 4, 1, 0]);
    expect([...pivotFlags(v, 2, 'high')]).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 0]);
    expect([...pivotFlags(v, 2, 'low')]).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('makes no pivot of a NaN or within k bars of either end', () => {
    const v = Float64Array.from([0, 1, 9, 1, Number.NaN, 1, 9]);
    expect([...pivotFlags(v, 1, 'high')]).toEqual([0, 0, 1, 0, 0, 0, 0]);
  });
});

describe('doubleTop', () => {
  // Tops at bars 50 (100) and 64 (100.5), a dip to 92 at 57 (low 91.5: the neckline), then a fall.
  const top = (second: number, dip = 92) =>
    draw(
      [
        [35, 80],
        [50, 100],
        [57, dip],
        [64, second],
        [76, 88],
      ],
      90,
    );

  it('fires once, on the first close below the neckline after the second top is confirmed', () => {
    // From 100.5 at 64 the close falls 12.5/12 a bar: 91.125 at bar 73 is the first below 91.5.
    expect(fired(run(doubleTop, top(100.5)))).toEqual([73]);
  });

  it('is NaN before its 60-bar lookback and 0 on every other bar', () => {
    const v = run(doubleTop, top(100.5));
    expect(v.slice(0, 60).every(Number.isNaN)).toBe(true);
    expect(v.slice(60).every((x) => x === 0 || x === 1)).toBe(true);
  });

  it('does not fire when the tops differ by more than 3%', () => {
    expect(fired(run(doubleTop, top(106)))).toEqual([]);
  });

  it('does not fire when the dip between the tops is under 3%', () => {
    expect(fired(run(doubleTop, top(100.5, 98.5)))).toEqual([]);
  });

  it('waits for the second top to be confirmed: a break within 3 bars of it fires on the confirming bar', () => {
    // A crash straight after the second top: below the neckline at bar 66, confirmed at 67.
    const s = draw(
      [
        [35, 80],
        [50, 100],
        [57, 92],
        [64, 100.5],
        [66, 90],
        [80, 85],
      ],
      90,
    );
    const v = run(doubleTop, s);
    expect(fired(v)).toEqual([67]);
    // Cut at the break bar, the unconfirmed second top gives nothing yet.
    const cut = (a: Float64Array) => a.slice(0, 67);
    expect(fired(doubleTop(cut(s.high), cut(s.low), cut(s.close)))).toEqual([]);
  });
});

describe('inverseHeadShoulders', () => {
  // Left shoulder 90 at bar 90, head 84 at 104, right shoulder 90.5 at 120, reaction highs 96 and 97.
  const hs = (right: number) =>
    draw(
      [
        [80, 100],
        [90, 90],
        [96, 96],
        [104, 84],
        [112, 97],
        [120, right],
        [135, 104],
      ],
      150,
    );

  it('fires once, on the first close above the sloping neckline after the right shoulder', () => {
    // Neckline through (96, 96.5) and (112, 97.5); the close rises 0.9 a bar from 90.5 at 120:
    // bar 129 closes 98.6 against a neckline of 98.5625, bar 128 97.7 against 98.5.
    expect(fired(run(inverseHeadShoulders, hs(90.5)))).toEqual([129]);
  });

  it('does not fire when the right shoulder sits more than 5% from the left', () => {
    expect(fired(run(inverseHeadShoulders, hs(95)))).toEqual([]);
  });

  it('does not fire without a head: a right "shoulder" below the head', () => {
    expect(fired(run(inverseHeadShoulders, hs(83)))).toEqual([]);
  });
});

describe('bull and bear flags', () => {
  // A 50 → 56 pole over bars 30-36, a flag drifting down to 54 by bar 42, a breakout close of 57 at 43.
  const flag = (pole: number, flagLow = 54) =>
    draw(
      [
        [30, 50],
        [36, pole],
        [42, flagLow],
        [43, 57],
        [50, 57],
      ],
      60,
      0.2,
    );
  /** The same drawing upside down (prices 106 - p): a falling pole and a flag drifting up. */
  const mirror = (s: Drawn): Drawn => ({
    close: s.close.map((c) => 106 - c),
    high: s.low.map((l) => 106 - l),
    low: s.high.map((h) => 106 - h),
  });

  it('fires the bull flag on the breakout above the flag, once', () => {
    expect(fired(run(bullFlag, flag(56)))).toEqual([43]);
  });

  it('fires the bear flag on the mirrored drawing, and neither flag on the other side', () => {
    expect(fired(run(bearFlag, mirror(flag(56))))).toEqual([43]);
    expect(fired(run(bearFlag, flag(56)))).toEqual([]);
    expect(fired(run(bullFlag, mirror(flag(56))))).toEqual([]);
  });

  it('does not fire on a pole under 8%', () => {
    expect(fired(run(bullFlag, flag(52, 51.5)))).toEqual([]);
  });

  it('does not fire when the flag gives back more than half the pole', () => {
    // Pole 49.8 → 56.2 (6.4); a flag low of 52.3 gives back 3.9.
    expect(fired(run(bullFlag, flag(56, 52.5)))).toEqual([]);
  });

  it('reads 26 bars (the longest flag, the pole top, the longest pole)', () => {
    const v = run(bullFlag, flag(56));
    expect(flagLookback()).toBe(26);
    expect(v.slice(0, 26).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(v[26]!)).toBe(false);
  });
});

describe('no look-ahead', () => {
  // A seeded random walk with volatility bursts: long enough that every pattern occurs.
  function walk(n: number, seed: number): Drawn {
    const rand = mulberry32(seed);
    const close = new Float64Array(n);
    const high = new Float64Array(n);
    const low = new Float64Array(n);
    let price = 100;
    for (let i = 0; i < n; i++) {
      const vol = i % 400 < 80 ? 0.035 : 0.015;
      price *= Math.exp(vol * (rand() * 2 - 1) * 1.7);
      close[i] = price;
      high[i] = price * (1 + vol * rand());
      low[i] = price * (1 - vol * rand());
    }
    return { high, low, close };
  }
  const s = walk(6000, 7);
  const detectors: [string, Detector, number][] = [
    ['doubleTop', doubleTop, 60],
    ['inverseHeadShoulders', inverseHeadShoulders, 90],
    ['bullFlag', bullFlag, 26],
    ['bearFlag', bearFlag, 26],
  ];

  it.each(detectors)(
    '%s: a value never changes when later bars arrive, and the walk has some',
    (_, detect) => {
      const full = run(detect, s);
      expect(fired(full).length).toBeGreaterThan(0);
      for (const cut of [500, 1234, 3001, 5999]) {
        const part = detect(s.high.slice(0, cut), s.low.slice(0, cut), s.close.slice(0, cut));
        expect([...part]).toEqual([...full.slice(0, cut)]);
      }
    },
  );

  it.each(detectors)(
    '%s: reads only its lookback (a series cut in front gives the same values after it)',
    (_, detect, lookback) => {
      const full = run(detect, s);
      for (const start of [1, 333, 2500]) {
        const part = detect(s.high.slice(start), s.low.slice(start), s.close.slice(start));
        expect([...part.slice(lookback)]).toEqual([...full.slice(start + lookback)]);
      }
    },
  );
});

describe('as features', () => {
  it('a template reading pattern_bull_flag fires on the drawn breakout day only', () => {
    const s = draw(
      [
        [30, 50],
        [36, 56],
        [42, 54],
        [43, 57],
        [50, 57],
      ],
      60,
      0.2,
    );
    const bars = {
      dates: [...s.close.keys()].map((i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10)),
      open: s.close,
      high: s.high,
      low: s.low,
      close: s.close,
      volume: s.close.map(() => 1e6),
    };
    const features = computeFeatures(bars, { periodsPerYear: 252 });
    const rows = bars.dates.map((_, i) => ({
      close: s.close[i]!,
      pattern_bull_flag: features.pattern_bull_flag[i]!,
    }));
    const template = parseTemplate({
      id: 'bull_flag_breakout',
      version: 1,
      name: 'Bull flag breakout',
      description: 'A bull flag completed today.',
      direction: 'bullish',
      asset_types: ['equity'],
      when: { left: { feature: 'pattern_bull_flag' }, op: '==', right: { value: 1 } },
      strength: { base: 60, terms: [] },
      evidence: ['close'],
    });
    const days = rows.flatMap((_, i) => (evaluateTemplate(template, rows.slice(0, i + 1)).fired ? [i] : []));
    expect(days).toEqual([43]);
  });
});
