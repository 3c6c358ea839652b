import { describe, expect, it } from 'vitest';
import { inputDepths, templateInputs, templateLookback, templateRanks } from './inputs.ts';
import { parseTemplate } from './schema.ts';
import { BUILTIN_TEMPLATES } from './templates/index.ts';

describe('templateInputs', () => {
  it('collects inputs from nested conditions, strength terms and evidence', () => {
    const t = parseTemplate({
      id: 'nested',
      version: 1,
      name: 'Nested',
      description: 'Reads inputs at every level.',
      direction: 'bullish',
      asset_types: ['equity'],
      when: {
        all: [
          { not: { left: { feature: 'rsi_14' }, op: '>', right: { value: 70 } } },
          {
            any: [{ cross: 'above', left: { feature: 'close' }, right: { feature: 'sma_50', times: 1.01 } }],
          },
          { between: { feature: 'adx_14' }, min: 20, max: 40 },
          { held: { left: { feature: 'cmf_20' }, op: '>', right: { value: 0 } }, days: 5 },
          { change: { feature: 'atr_14' }, days: 10, mode: 'pct', op: '>', value: 0.3 },
        ],
      },
      strength: { base: 50, terms: [{ feature: 'rvol_20', from: 1, to: 3, weight: 50 }] },
      evidence: ['volume'],
    });
    expect([...templateInputs([t])].sort()).toEqual([
      'adx_14',
      'atr_14',
      'close',
      'cmf_20',
      'rsi_14',
      'rvol_20',
      'sma_50',
      'volume',
    ]);
  });

  it('covers every input the built-in templates read', () => {
    const inputs = templateInputs(BUILTIN_TEMPLATES);
    expect(inputs.has('rsi_14')).toBe(true);
    expect(inputs.has('prior_high_20')).toBe(true);
  });
});

describe('templateLookback', () => {
  const t = (when: unknown) =>
    parseTemplate({
      id: 'lookback',
      version: 1,
      name: 'Lookback',
      description: 'Reads history.',
      direction: 'neutral',
      asset_types: ['equity'],
      when,
      strength: { base: 50, terms: [] },
      evidence: [],
    });
  const closeUp = { left: { feature: 'close' }, op: '>', right: { value: 1 } };
  const cross = { cross: 'above', left: { feature: 'close' }, right: { feature: 'sma_50' } };
  const change = (days: number) => ({ change: { feature: 'close' }, days, mode: 'pct', op: '>', value: 0 });

  it.each([
    ['a comparison reads today only', closeUp, 0],
    ['a rank reads today only', { rank: 'ret_20', op: '>', value: 0.5 }, 0],
    ['a cross reads the day before', cross, 1],
    ['a change over 5 days reads 5 days back', change(5), 5],
    ['held for 3 days reads 2 days back', { held: closeUp, days: 3 }, 2],
    ['held for 3 days of a cross reads 3 days back', { held: cross, days: 3 }, 3],
    ['held for 4 days of a 10-day change reads 13 days back', { held: change(10), days: 4 }, 13],
    ['nested helds add up', { held: { held: cross, days: 2 }, days: 5 }, 6],
    ['all/any/not take the deepest', { all: [closeUp, { any: [{ not: change(7) }, cross] }] }, 7],
  ])('%s', (_, when, rows) => {
    expect(templateLookback(t(when))).toBe(rows);
  });
});

describe('templateRanks and inputDepths', () => {
  const t = parseTemplate({
    id: 'ranked',
    version: 1,
    name: 'Ranked',
    description: 'Ranks and reads history.',
    direction: 'bullish',
    asset_types: ['equity'],
    when: {
      all: [
        { rank: 'ret_20', op: '>=', value: 0.9 },
        { held: { rank: 'ret_60', op: '>=', value: 0.8 }, days: 10 },
        { change: { feature: 'obv' }, days: 20, mode: 'abs', op: '>', value: 0 },
        { held: { cross: 'above', left: { feature: 'close' }, right: { feature: 'sma_50' } }, days: 3 },
        { between: { feature: 'rsi_14' }, min: 40, max: 60 },
      ],
    },
    strength: { base: 50, terms: [{ feature: 'adx_14', from: 20, to: 40, weight: 10 }] },
    evidence: ['close'],
  });

  it('collects the ranked features with the deepest row each rank is read at; ranks are not row inputs', () => {
    expect(templateRanks([t])).toEqual(
      new Map([
        ['ret_20', 0],
        ['ret_60', 9],
      ]),
    );
    expect(templateRanks(BUILTIN_TEMPLATES.filter((b) => b.id === 'rsi_oversold'))).toEqual(new Map());
    expect(templateInputs([t]).has('ret_20')).toBe(false);
  });

  it('gives each row input the deepest row it is read at: a cross reads yesterday, held adds its days', () => {
    expect(inputDepths([t])).toEqual(
      new Map([
        ['obv', 20],
        ['close', 3],
        ['sma_50', 3],
        ['rsi_14', 0],
        ['adx_14', 0],
      ]),
    );
  });
});
