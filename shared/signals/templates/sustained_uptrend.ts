import type { SignalTemplate } from '../schema.ts';

/** A trend that has held a month: stacked averages every day, not a one-day poke; slope and distance add strength. */
export const sustainedUptrend: SignalTemplate = {
  id: 'sustained_uptrend',
  version: 1,
  name: 'Sustained uptrend',
  description:
    'Close above the 50-day SMA and the 50-day above the 200-day on each of the last 20 trading days.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    held: {
      all: [
        { left: { feature: 'close' }, op: '>', right: { feature: 'sma_50' } },
        { left: { feature: 'sma_50' }, op: '>', right: { feature: 'sma_200' } },
      ],
    },
    days: 20,
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'slope_sma_50', from: 0, to: 0.03, weight: 25 },
      { feature: 'dist_sma_200', from: 0, to: 0.2, weight: 25 },
    ],
  },
  evidence: ['close', 'sma_50', 'sma_200', 'slope_sma_50', 'dist_sma_200'],
};
