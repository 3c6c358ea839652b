import type { SignalTemplate } from '../schema.ts';

/** A momentum burst: ROC(10) pushes through +10% above the 50-day SMA; a larger move and volume add strength. */
export const rocThrust: SignalTemplate = {
  id: 'roc_thrust',
  version: 1,
  name: 'ROC thrust',
  description: 'Rate of change over 10 days crosses above +10% with the close above its 50-day SMA.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { cross: 'above', left: { feature: 'roc_10' }, right: { value: 10 } },
      { left: { feature: 'close' }, op: '>', right: { feature: 'sma_50' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'roc_10', from: 10, to: 20, weight: 25 },
      { feature: 'rvol_20', from: 1, to: 2, weight: 25 },
    ],
  },
  evidence: ['roc_10', 'close', 'sma_50', 'rvol_20'],
};
