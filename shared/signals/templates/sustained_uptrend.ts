import type { Condition, SignalTemplate } from '../schema.ts';

const stacked: Condition = {
  all: [
    { left: { feature: 'close' }, op: '>', right: { feature: 'sma_50' } },
    { left: { feature: 'sma_50' }, op: '>', right: { feature: 'sma_200' } },
  ],
};

/** An uptrend that has held a month: close > SMA 50 > SMA 200 on a 20th straight day, once per run; slope and distance add strength. */
export const sustainedUptrend: SignalTemplate = {
  id: 'sustained_uptrend',
  version: 1,
  name: 'Sustained uptrend',
  description: 'Close above the 50-day SMA above the 200-day SMA for the 20th trading day in a row.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: { all: [{ held: stacked, days: 20 }, { not: { held: stacked, days: 21 } }] },
  strength: {
    base: 50,
    terms: [
      { feature: 'slope_sma_50', from: 0, to: 0.03, weight: 25 },
      { feature: 'dist_sma_200', from: 0, to: 0.2, weight: 25 },
    ],
  },
  evidence: ['close', 'sma_50', 'sma_200', 'slope_sma_50', 'dist_sma_200'],
};
