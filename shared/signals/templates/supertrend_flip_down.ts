import type { SignalTemplate } from '../schema.ts';

/** Mirror of the flip up: the close broke below the trailing band; a trending ADX and volume add strength. */
export const supertrendFlipDown: SignalTemplate = {
  id: 'supertrend_flip_down',
  version: 1,
  name: 'SuperTrend flip down',
  description: 'SuperTrend(10, 3) direction flips from up to down: the close broke below the trailing band.',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: { cross: 'below', left: { feature: 'supertrend_dir_10' }, right: { value: 0 } },
  strength: {
    base: 50,
    terms: [
      { feature: 'adx_14', from: 15, to: 35, weight: 25 },
      { feature: 'rvol_20', from: 1, to: 2, weight: 25 },
    ],
  },
  evidence: ['close', 'supertrend_10', 'supertrend_dir_10', 'adx_14', 'rvol_20'],
};
