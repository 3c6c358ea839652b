import { describe, expect, it } from 'vitest';
import { templateInputs, templateLookback, templateRanks } from './inputs.ts';
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

describe('templateRanks', () => {
  it('collects ranked features and how far back a rank is read, and ignores them as row inputs', () => {
    const t = parseTemplate({
      id: 'ranked',
      version: 1,
      name: 'Ranked',
      description: 'Ranks.',
      direction: 'bullish',
      asset_types: ['equity'],
      when: {
        all: [
          { rank: 'ret_20', op: '>=', value: 0.9 },
          { held: { rank: 'ret_60', op: '>=', value: 0.8 }, days: 10 },
          { change: { feature: 'obv' }, days: 20, mode: 'abs', op: '>', value: 0 },
        ],
      },
      strength: { base: 50, terms: [] },
      evidence: ['close'],
    });
    const needs = templateRanks([t]);
    expect([...needs.features].sort()).toEqual(['ret_20', 'ret_60']);
    expect(needs.lookback).toBe(9);
    expect([...templateInputs([t])].sort()).toEqual(['close', 'obv']);
    expect(templateRanks(BUILTIN_TEMPLATES.filter((b) => b.id === 'rsi_oversold'))).toEqual({
      features: new Set(),
      lookback: 0,
    });
  });
});
