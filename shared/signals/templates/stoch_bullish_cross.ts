import type { SignalTemplate } from '../schema.ts';

/** Lane's oversold buy: %K turns up through %D while %D is still below 20; deeper oversold adds strength. */
export const stochBullishCross: SignalTemplate = {
  id: 'stoch_bullish_cross',
  version: 1,
  name: 'Stochastic oversold cross',
  description: 'Stochastic %K crosses above %D in oversold territory (%D below 20).',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { cross: 'above', left: { feature: 'stoch_k_14' }, right: { feature: 'stoch_d_14' } },
      { left: { feature: 'stoch_d_14' }, op: '<', right: { value: 20 } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'stoch_d_14', from: 20, to: 5, weight: 30 },
      { feature: 'rsi_14', from: 40, to: 25, weight: 20 },
    ],
  },
  evidence: ['stoch_k_14', 'stoch_d_14', 'rsi_14', 'close'],
};
