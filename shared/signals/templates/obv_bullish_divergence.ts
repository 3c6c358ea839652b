import type { SignalTemplate } from '../schema.ts';

/** Granville's divergence: price lower over a month while on-balance volume is higher; money flow and a low RSI add strength. */
export const obvBullishDivergence: SignalTemplate = {
  id: 'obv_bullish_divergence',
  version: 1,
  name: 'OBV bullish divergence',
  description:
    'Close down at least 5% over 20 trading days while on-balance volume rose over the same 20 days.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { change: { feature: 'close' }, days: 20, mode: 'pct', op: '<=', value: -0.05 },
      { change: { feature: 'obv' }, days: 20, mode: 'abs', op: '>', value: 0 },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'cmf_20', from: 0, to: 0.2, weight: 30 },
      { feature: 'rsi_14', from: 50, to: 30, weight: 20 },
    ],
  },
  evidence: ['close', 'obv', 'obv_slope_20', 'cmf_20', 'rsi_14'],
};
