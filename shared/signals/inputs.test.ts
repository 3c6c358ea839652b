import { describe, expect, it } from 'vitest';
import { templateInputs } from './inputs.ts';
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
        ],
      },
      strength: { base: 50, terms: [{ feature: 'rvol_20', from: 1, to: 3, weight: 50 }] },
      evidence: ['volume'],
    });
    expect([...templateInputs([t])].sort()).toEqual([
      'adx_14',
      'close',
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
