import type { Condition, SignalTemplate } from '../schema.ts';

const buying: Condition = { left: { feature: 'cmf_20' }, op: '>', right: { value: 0.1 } };

/** Steady buying confirmed: CMF above 0.1 on a 5th straight day, close above the 50-day SMA, once per run; more flow and volume add strength. */
export const cmfAccumulation: SignalTemplate = {
  id: 'cmf_accumulation',
  version: 1,
  name: 'CMF accumulation',
  description:
    'Chaikin money flow (20) above 0.1 for the 5th trading day in a row, close above its 50-day SMA.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { held: buying, days: 5 },
      { not: { held: buying, days: 6 } },
      { left: { feature: 'close' }, op: '>', right: { feature: 'sma_50' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'cmf_20', from: 0.1, to: 0.3, weight: 30 },
      { feature: 'rvol_20', from: 1, to: 2, weight: 20 },
    ],
  },
  evidence: ['cmf_20', 'close', 'sma_50', 'ad', 'rvol_20'],
};
