import type { SignalTemplate } from '../schema.ts';

/** Mirror of the golden cross; stronger with price well below the 200-day and a trending ADX. */
export const deathCross: SignalTemplate = {
  id: 'death_cross',
  version: 1,
  name: 'Death cross',
  description: 'The 50-day SMA crosses below the 200-day SMA.',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: { cross: 'below', left: { feature: 'sma_50' }, right: { feature: 'sma_200' } },
  strength: {
    base: 60,
    terms: [
      { feature: 'dist_sma_200', from: 0, to: -0.1, weight: 20 },
      { feature: 'adx_14', from: 15, to: 35, weight: 20 },
    ],
  },
  evidence: ['sma_50', 'sma_200', 'close', 'dist_sma_200', 'adx_14'],
};
