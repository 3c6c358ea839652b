import type { SignalTemplate } from '../schema.ts';

/** SuperTrend(10, 3) turns up: the close broke above the trailing band; a trending ADX and volume add strength. */
export const supertrendFlipUp: SignalTemplate = {
  id: 'supertrend_flip_up',
  version: 1,
  name: 'SuperTrend flip up',
  description: 'SuperTrend(10, 3) direction flips from down to up: the close broke above the trailing band.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: { cross: 'above', left: { feature: 'supertrend_dir_10' }, right: { value: 0 } },
  strength: {
    base: 50,
    terms: [
      { feature: 'adx_14', from: 15, to: 35, weight: 25 },
      { feature: 'rvol_20', from: 1, to: 2, weight: 25 },
    ],
  },
  evidence: ['close', 'supertrend_10', 'supertrend_dir_10', 'adx_14', 'rvol_20'],
};
