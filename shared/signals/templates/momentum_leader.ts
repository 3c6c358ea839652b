import type { SignalTemplate } from '../schema.ts';

/** Cross-sectional momentum: top decile of the universe by 20-day return, above its 50-day SMA; a bigger return and ADX add strength. */
export const momentumLeader: SignalTemplate = {
  id: 'momentum_leader',
  version: 1,
  name: 'Momentum leader',
  description: "20-day return in the universe's top decile that day, with the close above its 50-day SMA.",
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { rank: 'ret_20', op: '>=', value: 0.9 },
      { left: { feature: 'close' }, op: '>', right: { feature: 'sma_50' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'ret_20', from: 0.05, to: 0.25, weight: 25 },
      { feature: 'adx_14', from: 20, to: 40, weight: 25 },
    ],
  },
  evidence: ['ret_20', 'ret_60', 'close', 'sma_50', 'adx_14'],
};
