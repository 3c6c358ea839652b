import { describe, expect, it } from 'vitest';
import { evaluateAll, evaluateTemplate, type Row } from './evaluate.ts';
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

const fires = (when: Condition, today: Row, previous: Row | null = null) =>
  evaluateTemplate(tpl(when), today, previous).fired;

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
    expect(evaluateTemplate(tpl(always, strength), today, null).strength).toBe(90);
  });

  it('clamps the total to 0..100', () => {
    const high: Strength = { base: 90, terms: [{ feature: 'rvol_20', from: 1, to: 2, weight: 30 }] };
    const low: Strength = { base: 10, terms: [{ feature: 'rvol_20', from: 1, to: 2, weight: -30 }] };
    expect(evaluateTemplate(tpl(always, high), { rvol_20: 2 }, null).strength).toBe(100);
    expect(evaluateTemplate(tpl(always, low), { rvol_20: 2 }, null).strength).toBe(0);
  });

  it('rounds to two decimals', () => {
    const third: Strength = { base: 50, terms: [{ feature: 'rvol_20', from: 0, to: 3, weight: 10 }] };
    expect(evaluateTemplate(tpl(always, third), { rvol_20: 1 }, null).strength).toBe(53.33);
  });

  it('is 0 when the template does not fire', () => {
    expect(evaluateTemplate(tpl(rsiBelow30, { base: 50, terms: [] }), { rsi_14: 40 }, null).strength).toBe(0);
  });
});

describe('evidence', () => {
  it("records today's value of each evidence input, null where missing", () => {
    const result = evaluateTemplate(tpl(rsiBelow30), { rsi_14: 25, close: null }, { rsi_14: 35, close: 10 });
    expect(result).toEqual({ fired: true, strength: 50, evidence: { close: null, rsi_14: 25 } });
  });
});

describe('evaluateAll', () => {
  it('returns one fact per fired template and asset, skipping asset types a template does not cover', () => {
    const equityOnly = tpl(rsiBelow30);
    const cryptoBearish: SignalTemplate = {
      ...tpl(closeAbove100),
      id: 'crypto_test',
      asset_types: ['crypto'],
      direction: 'bearish',
    };
    const facts = evaluateAll(
      [equityOnly, cryptoBearish],
      [
        { assetId: 1, assetType: 'equity', today: { rsi_14: 25, close: 120 }, previous: null },
        { assetId: 2, assetType: 'crypto', today: { rsi_14: 25, close: 120 }, previous: null },
        { assetId: 3, assetType: 'equity', today: { rsi_14: 45, close: 120 }, previous: null },
      ],
    );
    expect(facts).toEqual([
      {
        assetId: 1,
        template: 'test',
        templateVersion: 3,
        direction: 'bullish',
        strength: 50,
        evidence: { close: 120, rsi_14: 25 },
      },
      {
        assetId: 2,
        template: 'crypto_test',
        templateVersion: 3,
        direction: 'bearish',
        strength: 50,
        evidence: { close: 120, rsi_14: 25 },
      },
    ]);
  });
});
