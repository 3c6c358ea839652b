import type { SignalTemplate } from '../schema.ts';

/** Losing the 50-day average only counts inside a long-term downtrend; volume and depth below the 200-day add strength. */
export const trendBreakdown: SignalTemplate = {
  id: 'trend_breakdown',
  version: 1,
  name: 'Trend breakdown',
  description: 'Close crosses below the 50-day SMA while the 200-day trend is down.',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { cross: 'below', left: { feature: 'close' }, right: { feature: 'sma_50' } },
      {
        any: [
          { left: { feature: 'sma_50' }, op: '<', right: { feature: 'sma_200' } },
          { left: { feature: 'close' }, op: '<', right: { feature: 'sma_200' } },
        ],
      },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 1, to: 2.5, weight: 30 },
      { feature: 'dist_sma_200', from: 0, to: -0.1, weight: 20 },
    ],
  },
  evidence: ['close', 'sma_50', 'sma_200', 'dist_sma_50', 'rvol_20'],
};
