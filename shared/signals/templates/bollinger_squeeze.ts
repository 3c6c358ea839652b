import type { SignalTemplate } from '../schema.ts';

/**
 * Bands narrower than 6% of the mid band in a trendless market (ADX < 20): volatility is
 * compressed and a move in either direction tends to follow. The threshold is absolute, one
 * compromise for both markets; narrower bands and a weaker ADX add strength.
 */
export const bollingerSqueeze: SignalTemplate = {
  id: 'bollinger_squeeze',
  version: 1,
  name: 'Bollinger squeeze',
  description: 'Bollinger Band width below 0.06 with ADX(14) under 20: compressed volatility before a move.',
  direction: 'neutral',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'bb_width_20' }, op: '<', right: { value: 0.06 } },
      { left: { feature: 'adx_14' }, op: '<', right: { value: 20 } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'bb_width_20', from: 0.06, to: 0.03, weight: 30 },
      { feature: 'adx_14', from: 20, to: 10, weight: 20 },
    ],
  },
  evidence: ['bb_width_20', 'adx_14', 'bb_upper_20', 'bb_lower_20', 'close', 'natr_14'],
};
