import type { SignalTemplate } from '../schema.ts';

/** A 52-week breakdown: a close at the 52-week low on above-average volume; more volume and a weaker month add strength. */
export const new52wLow: SignalTemplate = {
  id: 'new_52w_low',
  version: 1,
  name: 'New 52-week low',
  description: 'Close within 0.1% of the 52-week low on above-average volume.',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'dist_low_252' }, op: '<=', right: { value: 0.001 } },
      { left: { feature: 'rvol_20' }, op: '>', right: { value: 1 } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 1, to: 3, weight: 30 },
      { feature: 'ret_20', from: 0, to: -0.2, weight: 20 },
    ],
  },
  evidence: ['close', 'dist_low_252', 'rvol_20', 'ret_20'],
};
