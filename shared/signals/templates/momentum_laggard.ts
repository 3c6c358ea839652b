import type { SignalTemplate } from '../schema.ts';

/** Mirror of the leader: bottom decile of the universe by 20-day return, below its 50-day SMA; a bigger loss and ADX add strength. */
export const momentumLaggard: SignalTemplate = {
  id: 'momentum_laggard',
  version: 1,
  name: 'Momentum laggard',
  description: "20-day return in the universe's bottom decile that day, with the close below its 50-day SMA.",
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { rank: 'ret_20', op: '<=', value: 0.1 },
      { left: { feature: 'close' }, op: '<', right: { feature: 'sma_50' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'ret_20', from: -0.05, to: -0.25, weight: 25 },
      { feature: 'adx_14', from: 20, to: 40, weight: 25 },
    ],
  },
  evidence: ['ret_20', 'ret_60', 'close', 'sma_50', 'adx_14'],
};
