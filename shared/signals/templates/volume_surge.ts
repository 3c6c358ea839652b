import type { SignalTemplate } from '../schema.ts';

/** Institutions stepping in: triple the usual volume on a clear up day; heavier volume and a bigger gain add strength. */
export const volumeSurge: SignalTemplate = {
  id: 'volume_surge',
  version: 1,
  name: 'Relative volume surge',
  description: 'Volume at least 3x its 20-day average on a day the close rose at least 2%.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'rvol_20' }, op: '>=', right: { value: 3 } },
      { left: { feature: 'ret_1' }, op: '>=', right: { value: 0.02 } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 3, to: 6, weight: 30 },
      { feature: 'ret_1', from: 0.02, to: 0.08, weight: 20 },
    ],
  },
  evidence: ['volume', 'volume_sma_20', 'rvol_20', 'ret_1', 'close'],
};
