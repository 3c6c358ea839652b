import type { SignalTemplate } from '../schema.ts';

/** A close at the 52-week high on above-average volume; more volume and a stronger month add strength. */
export const new52wHigh: SignalTemplate = {
  id: 'new_52w_high',
  version: 1,
  name: 'New 52-week high',
  description: 'Close within 0.1% of the 52-week high on above-average volume.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'dist_high_252' }, op: '>=', right: { value: -0.001 } },
      { left: { feature: 'rvol_20' }, op: '>', right: { value: 1 } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 1, to: 3, weight: 30 },
      { feature: 'ret_20', from: 0, to: 0.2, weight: 20 },
    ],
  },
  evidence: ['close', 'dist_high_252', 'rvol_20', 'ret_20'],
};
