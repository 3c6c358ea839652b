import { describe, expect, it } from 'vitest';
import { type EvalRow, evaluateAll, evaluateTemplate, type History, type Ranks } from './evaluate.ts';
import type { Condition, SignalTemplate, Strength } from './schema.ts';

function tpl(when: Condition, strength: Strength = { base: 50, terms: [] }): SignalTemplate {
  return {
    id: 'test',
    version: 3,
    name: 'Test',
    description: 'Test template.',
    direction: 'bullish',
    asset_types: ['equity'],
    when,
    strength,
    evidence: ['close', 'rsi_14'],
  };
}

/** Whether `when` fires on `today`, with `previous` (if any) as the stored day before it. */
const fires = (when: Condition, today: EvalRow, previous: EvalRow | null = null) =>
  evaluateTemplate(tpl(when), previous ? [previous, today] : [today]).fired;

/** Whether `when` fires on the last of `history`'s rows. */
const firesOn = (when: Condition, history: History, ranks?: Ranks) =>
  evaluateTemplate(tpl(when), history, ranks).fired;

const rsiBelow30: Condition = { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } };
const closeAbove100: Condition = { left: { feature: 'close' }, op: '>', right: { value: 100 } };

describe('comparison', () => {
  it.each([
    ['<', 1, 2, true],
    ['<', 2, 2, false],
    ['<=', 2, 2, true],
    ['<=', 3, 2, false],
    ['>', 3, 2, true],
    ['>', 2, 2, false],
    ['>=', 2, 2, true],
    ['>=', 1, 2, false],
    ['==', 2, 2, true],
    ['==', 2.0001, 2, false],
    ['!=', 1, 2, true],
    ['!=', 2, 2, false],
  ] as const)('%s: %d vs %d is %s', (op, a, b, expected) => {
    expect(fires({ left: { feature: 'close' }, op, right: { feature: 'open' } }, { close: a, open: b })).toBe(
      expected,
    );
  });

  it('multiplies a feature by `times`', () => {
    const when: Condition = {
      left: { feature: 'close' },
      op: '>',
      right: { feature: 'sma_50', times: 1.05 },
    };
    expect(fires(when, { close: 106, sma_50: 100 })).toBe(true);
    expect(fires(when, { close: 104, sma_50: 100 })).toBe(false);
  });
});

describe('between', () => {
  const when: Condition = { between: { feature: 'rsi_14' }, min: 40, max: 60 };

  it('includes both bounds', () => {
    expect(fires(when, { rsi_14: 40 })).toBe(true);
    expect(fires(when, { rsi_14: 60 })).toBe(true);
    expect(fires(when, { rsi_14: 39.99 })).toBe(false);
    expect(fires(when, { rsi_14: 60.01 })).toBe(false);
  });
});

describe('all / any / not', () => {
  it('all needs every condition, any needs one, not negates', () => {
    expect(fires({ all: [rsiBelow30, closeAbove100] }, { rsi_14: 25, close: 101 })).toBe(true);
    expect(fires({ all: [rsiBelow30, closeAbove100] }, { rsi_14: 25, close: 99 })).toBe(false);
    expect(fires({ any: [rsiBelow30, closeAbove100] }, { rsi_14: 35, close: 101 })).toBe(true);
    expect(fires({ any: [rsiBelow30, closeAbove100] }, { rsi_14: 35, close: 99 })).toBe(false);
    expect(fires({ not: rsiBelow30 }, { rsi_14: 35 })).toBe(true);
    expect(fires({ not: rsiBelow30 }, { rsi_14: 25 })).toBe(false);
  });
});

describe('missing data never fires', () => {
  it('a comparison with a null or absent input is not true', () => {
    expect(fires(rsiBelow30, { rsi_14: null })).toBe(false);
    expect(fires(rsiBelow30, {})).toBe(false);
    expect(fires({ left: { value: 1 }, op: '<', right: { feature: 'rsi_14' } }, { rsi_14: null })).toBe(
      false,
    );
    expect(fires({ between: { feature: 'rsi_14' }, min: 0, max: 100 }, { rsi_14: null })).toBe(false);
  });

  it('treats a non-finite input as missing', () => {
    expect(fires(rsiBelow30, { rsi_14: Number.NaN })).toBe(false);
    expect(fires({ not: rsiBelow30 }, { rsi_14: Number.NaN })).toBe(false);
  });

  it('not of an unknown comparison stays unknown', () => {
    expect(fires({ not: rsiBelow30 }, { rsi_14: null })).toBe(false);
    expect(fires({ not: { not: rsiBelow30 } }, { rsi_14: null })).toBe(false);
  });

  it('all with a missing input does not fire, even when negated', () => {
    expect(fires({ all: [rsiBelow30, closeAbove100] }, { rsi_14: 25, close: null })).toBe(false);
    expect(fires({ not: { all: [rsiBelow30, closeAbove100] } }, { rsi_14: 25, close: null })).toBe(false);
  });

  it('a false member decides all, a true member decides any, regardless of missing inputs', () => {
    expect(fires({ not: { all: [rsiBelow30, closeAbove100] } }, { rsi_14: 35, close: null })).toBe(true);
    expect(fires({ any: [rsiBelow30, closeAbove100] }, { rsi_14: null, close: 101 })).toBe(true);
    expect(fires({ any: [rsiBelow30, closeAbove100] }, { rsi_14: null, close: 99 })).toBe(false);
    expect(fires({ not: { any: [rsiBelow30, closeAbove100] } }, { rsi_14: null, close: 99 })).toBe(false);
  });
});

describe('cross', () => {
  const above: Condition = { cross: 'above', left: { feature: 'macd' }, right: { feature: 'macd_signal' } };
  const below: Condition = { cross: 'below', left: { feature: 'macd' }, right: { feature: 'macd_signal' } };

  it('above: left was at or below right yesterday and is above it today', () => {
    expect(fires(above, { macd: 0.2, macd_signal: 0.1 }, { macd: 0, macd_signal: 0.1 })).toBe(true);
    expect(fires(above, { macd: 0.2, macd_signal: 0.1 }, { macd: 0.1, macd_signal: 0.1 })).toBe(true);
    expect(fires(above, { macd: 0.3, macd_signal: 0.1 }, { macd: 0.2, macd_signal: 0.1 })).toBe(false);
    expect(fires(above, { macd: 0.1, macd_signal: 0.1 }, { macd: 0, macd_signal: 0.1 })).toBe(false);
  });

  it('below: left was at or above right yesterday and is below it today', () => {
    expect(fires(below, { macd: 0, macd_signal: 0.1 }, { macd: 0.2, macd_signal: 0.1 })).toBe(true);
    expect(fires(below, { macd: 0, macd_signal: 0.1 }, { macd: 0.1, macd_signal: 0.1 })).toBe(true);
    expect(fires(below, { macd: 0, macd_signal: 0.1 }, { macd: 0.05, macd_signal: 0.1 })).toBe(false);
  });

  it('compares against a constant on both days', () => {
    const rsiUp50: Condition = { cross: 'above', left: { feature: 'rsi_14' }, right: { value: 50 } };
    expect(fires(rsiUp50, { rsi_14: 52 }, { rsi_14: 48 })).toBe(true);
  });

  it('needs the previous row and both of its values', () => {
    expect(fires(above, { macd: 0.2, macd_signal: 0.1 }, null)).toBe(false);
    expect(fires(above, { macd: 0.2, macd_signal: 0.1 }, { macd: null, macd_signal: 0.1 })).toBe(false);
    expect(fires(above, { macd: 0.2, macd_signal: null }, { macd: 0, macd_signal: 0.1 })).toBe(false);
    expect(fires({ not: above }, { macd: 0.2, macd_signal: 0.1 }, null)).toBe(false);
  });
});

describe('strength', () => {
  const always: Condition = { left: { value: 1 }, op: '==', right: { value: 1 } };

  it('adds each weight scaled by how far the input went from `from` to `to` (worked example)', () => {
    const strength: Strength = {
      base: 40,
      terms: [
        // rsi 22 on 30 -> 10: (22 - 30) / (10 - 30) = 0.4, times 50 = 20
        { feature: 'rsi_14', from: 30, to: 10, weight: 50 },
        // rvol 5 on 1 -> 3: 2 clamps to 1, times 30 = 30
        { feature: 'rvol_20', from: 1, to: 3, weight: 30 },
        // adx 10 on 20 -> 40: -0.5 clamps to 0, adds 0
        { feature: 'adx_14', from: 20, to: 40, weight: 25 },
        // missing input adds 0
        { feature: 'ret_20', from: 0, to: 0.2, weight: 10 },
      ],
    };
    const today = { rsi_14: 22, rvol_20: 5, adx_14: 10, ret_20: null };
    expect(evaluateTemplate(tpl(always, strength), [today]).strength).toBe(90);
  });

  it('clamps the total to 0..100', () => {
    const high: Strength = { base: 90, terms: [{ feature: 'rvol_20', from: 1, to: 2, weight: 30 }] };
    const low: Strength = { base: 10, terms: [{ feature: 'rvol_20', from: 1, to: 2, weight: -30 }] };
    expect(evaluateTemplate(tpl(always, high), [{ rvol_20: 2 }]).strength).toBe(100);
    expect(evaluateTemplate(tpl(always, low), [{ rvol_20: 2 }]).strength).toBe(0);
  });

  it('rounds to two decimals', () => {
    const third: Strength = { base: 50, terms: [{ feature: 'rvol_20', from: 0, to: 3, weight: 10 }] };
    expect(evaluateTemplate(tpl(always, third), [{ rvol_20: 1 }]).strength).toBe(53.33);
  });

  it('is 0 when the template does not fire', () => {
    expect(evaluateTemplate(tpl(rsiBelow30, { base: 50, terms: [] }), [{ rsi_14: 40 }]).strength).toBe(0);
  });
});

describe('evidence', () => {
  it("records today's value of each evidence input, null where missing", () => {
    const result = evaluateTemplate(tpl(rsiBelow30), [
      { rsi_14: 35, close: 10 },
      { rsi_14: 25, close: null },
    ]);
    expect(result).toEqual({ fired: true, strength: 50, evidence: { close: null, rsi_14: 25 } });
  });
});

describe('held', () => {
  const held3: Condition = { held: closeAbove100, days: 3 };
  const closes = (...xs: (number | null)[]) => xs.map((close) => ({ close }));

  it('is true when the inner condition held on each of the last N rows, today included', () => {
    expect(firesOn(held3, closes(101, 102, 103))).toBe(true);
    // Only the last 3 rows count.
    expect(firesOn(held3, closes(50, 101, 102, 103))).toBe(true);
    expect(firesOn(held3, closes(99, 102, 103))).toBe(false);
    expect(firesOn(held3, closes(101, 102, 99))).toBe(false);
  });

  it('does not fire on a history shorter than N rows, or with a missing day', () => {
    expect(firesOn(held3, closes(102, 103))).toBe(false);
    expect(firesOn(held3, closes(101, null, 103))).toBe(false);
    expect(firesOn({ not: held3 }, closes(102, 103))).toBe(false);
    expect(firesOn({ not: held3 }, closes(101, null, 103))).toBe(false);
  });

  it('is false, and its negation true, once any of the days is known to fail', () => {
    expect(firesOn({ not: held3 }, closes(99, 102, 103))).toBe(true);
    expect(firesOn({ not: held3 }, closes(null, 99, 103))).toBe(true);
  });

  it('evaluates a nested lookback on each day: two up closes in a row need three rows', () => {
    const upClose: Condition = { change: { feature: 'close' }, days: 1, mode: 'abs', op: '>', value: 0 };
    const twoUp: Condition = { held: upClose, days: 2 };
    expect(firesOn(twoUp, closes(100, 101, 102))).toBe(true);
    expect(firesOn(twoUp, closes(101, 100, 102))).toBe(false);
    expect(firesOn(twoUp, closes(101, 102))).toBe(false);
  });

  it('reads crosses on each day against the day before it', () => {
    const crossedOrAbove: Condition = {
      held: {
        any: [
          { cross: 'above', left: { feature: 'close' }, right: { value: 100 } },
          { left: { feature: 'close' }, op: '>', right: { value: 100 } },
        ],
      },
      days: 2,
    };
    expect(firesOn(crossedOrAbove, closes(99, 101, 102))).toBe(true);
    expect(firesOn(crossedOrAbove, closes(101, 99, 102))).toBe(false);
  });
});

describe('change', () => {
  const up25pct: Condition = { change: { feature: 'close' }, days: 5, mode: 'pct', op: '>=', value: 0.25 };

  it('pct: x today / x N rows back − 1 (worked example: 80 -> 100 is +25%)', () => {
    expect(firesOn(up25pct, [{ close: 80 }, {}, {}, {}, {}, { close: 100 }])).toBe(true);
    expect(firesOn(up25pct, [{ close: 80 }, {}, {}, {}, {}, { close: 99 }])).toBe(false);
    // 6 rows back is not the past of a 5-day change.
    expect(firesOn(up25pct, [{ close: 80 }, { close: 90 }, {}, {}, {}, {}, { close: 100 }])).toBe(false);
  });

  it('abs: x today − x N rows back, with the operand multiple applied to both', () => {
    const obvUp: Condition = { change: { feature: 'obv' }, days: 2, mode: 'abs', op: '>', value: 700 };
    expect(firesOn(obvUp, [{ obv: -500 }, { obv: 0 }, { obv: 300 }])).toBe(true);
    expect(firesOn(obvUp, [{ obv: -300 }, { obv: 0 }, { obv: 300 }])).toBe(false);
    const scaled: Condition = { ...obvUp, change: { feature: 'obv', times: 2 }, value: 1500 };
    expect(firesOn(scaled, [{ obv: -500 }, { obv: 0 }, { obv: 300 }])).toBe(true);
  });

  it('does not fire on a history shorter than N + 1 rows or a missing end point', () => {
    expect(firesOn(up25pct, [{ close: 80 }, {}, {}, {}, { close: 100 }])).toBe(false);
    expect(firesOn(up25pct, [{ close: null }, {}, {}, {}, {}, { close: 100 }])).toBe(false);
    expect(firesOn({ not: up25pct }, [{ close: 80 }, {}, {}, {}, {}, { close: null }])).toBe(false);
  });

  it('pct is unknown from a past value of zero or below', () => {
    const rose: Condition = { change: { feature: 'macd' }, days: 1, mode: 'pct', op: '>', value: 0 };
    expect(firesOn(rose, [{ macd: 0 }, { macd: 1 }])).toBe(false);
    expect(firesOn(rose, [{ macd: -1 }, { macd: 1 }])).toBe(false);
    expect(firesOn({ not: rose }, [{ macd: -1 }, { macd: 1 }])).toBe(false);
  });
});

describe('rank', () => {
  const topDecile: Condition = { rank: 'ret_20', op: '>=', value: 0.9 };

  it("compares today's universe rank, the last entry of the ranks aligned with the history", () => {
    expect(firesOn(topDecile, [{}], { ret_20: [0.95] })).toBe(true);
    expect(firesOn(topDecile, [{}], { ret_20: [0.9] })).toBe(true);
    expect(firesOn(topDecile, [{}], { ret_20: [0.85] })).toBe(false);
    expect(firesOn(topDecile, [{}, {}], { ret_20: [0.95, 0.5] })).toBe(false);
  });

  it('does not fire for an unranked asset (null value) or ranks that were not loaded', () => {
    expect(firesOn(topDecile, [{}], { ret_20: [null] })).toBe(false);
    expect(firesOn(topDecile, [{}], {})).toBe(false);
    expect(firesOn(topDecile, [{ ret_20: 0.3 }])).toBe(false);
    expect(firesOn({ not: topDecile }, [{}], { ret_60: [0.1] })).toBe(false);
  });

  it('held reads the rank of each past day', () => {
    const heldTop: Condition = { held: { rank: 'ret_60', op: '>=', value: 0.8 }, days: 2 };
    expect(firesOn(heldTop, [{}, {}], { ret_60: [0.9, 0.85] })).toBe(true);
    expect(firesOn(heldTop, [{}, {}], { ret_60: [0.7, 0.85] })).toBe(false);
    expect(firesOn(heldTop, [{}, {}], { ret_60: [null, 0.85] })).toBe(false);
  });
});

describe('evaluateTemplate', () => {
  it('refuses an empty history', () => {
    expect(() => evaluateTemplate(tpl(rsiBelow30), [])).toThrow(RangeError);
  });
});

describe('evaluateAll', () => {
  it('returns one fact per fired template, asset and date, skipping asset types a template does not cover', () => {
    const equityOnly = tpl(rsiBelow30);
    const cryptoBearish: SignalTemplate = {
      ...tpl(closeAbove100),
      id: 'crypto_test',
      asset_types: ['crypto'],
      direction: 'bearish',
    };
    const dates = ['2026-11-20'];
    const facts = evaluateAll(
      [equityOnly, cryptoBearish],
      {
        assets: [
          { assetId: 1, assetType: 'equity', start: 0, dates },
          { assetId: 2, assetType: 'crypto', start: 1, dates },
          { assetId: 3, assetType: 'equity', start: 2, dates },
        ],
        columns: { rsi_14: [25, 25, 45], close: Float64Array.of(120, 120, 120) },
        ranks: {},
      },
      '2026-11-20',
    );
    expect(facts).toEqual([
      {
        assetId: 1,
        date: '2026-11-20',
        template: 'test',
        templateVersion: 3,
        direction: 'bullish',
        strength: 50,
        evidence: { close: 120, rsi_14: 25 },
      },
      {
        assetId: 2,
        date: '2026-11-20',
        template: 'crypto_test',
        templateVersion: 3,
        direction: 'bearish',
        strength: 50,
        evidence: { close: 120, rsi_14: 25 },
      },
    ]);
  });

  it('evaluates the rows dated from `from` on, reading the earlier rows as their history', () => {
    const crossUp = tpl({ cross: 'above', left: { feature: 'rsi_14' }, right: { value: 30 } });
    const facts = evaluateAll(
      [crossUp],
      {
        assets: [
          {
            assetId: 7,
            assetType: 'equity',
            start: 0,
            dates: ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'],
          },
        ],
        columns: { rsi_14: [20, 35, 25, 31, 28] },
        ranks: {},
      },
      '2026-11-18',
    );
    expect(facts.map((f) => f.date)).toEqual(['2026-11-19']);
  });

  it("never reads another asset's rows as history", () => {
    const crossUp = tpl({ cross: 'above', left: { feature: 'rsi_14' }, right: { value: 30 } });
    const twoUp = tpl({ held: closeAbove100, days: 2 });
    const batch = {
      assets: [
        { assetId: 1, assetType: 'equity' as const, start: 0, dates: ['2026-11-20'] },
        { assetId: 2, assetType: 'equity' as const, start: 1, dates: ['2026-11-20'] },
      ],
      // Asset 2's only row would cross from asset 1's, and hold with it.
      columns: { rsi_14: [20, 35], close: [101, 102] },
      ranks: {},
    };
    expect(evaluateAll([crossUp, twoUp], batch, '2026-11-20')).toEqual([]);
  });

  it('reads NaN in a Float64Array column as missing', () => {
    const facts = evaluateAll(
      [tpl({ not: rsiBelow30 })],
      {
        assets: [{ assetId: 1, assetType: 'equity', start: 0, dates: ['2026-11-20'] }],
        columns: { rsi_14: Float64Array.of(Number.NaN) },
        ranks: {},
      },
      '2026-11-20',
    );
    expect(facts).toEqual([]);
  });
});

describe('condition limits', () => {
  it('refuses a template built in code whose conditions nest past the limit, instead of overflowing', () => {
    let when: Condition = rsiBelow30;
    for (let i = 0; i < 50_000; i++) when = { not: when };
    const deep = tpl(when);
    expect(() => evaluateTemplate(deep, [{ rsi_14: 20 }])).toThrow(/deeper than 32 levels/);
    const batch = { assets: [], columns: {}, ranks: {} };
    expect(() => evaluateAll([deep], batch, '2026-01-01')).toThrow(/deeper than 32 levels/);
  });
});
