import type { SignalTemplate } from '../schema.ts';

/** Lane's overbought sell: %K turns down through %D while %D is still above 80; deeper overbought adds strength. */
export const stochBearishCross: SignalTemplate = {
  id: 'stoch_bearish_cross',
  version: 1,
  name: 'Stochastic overbought cross',
  description: 'Stochastic %K crosses below %D in overbought territory (%D above 80).',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { cross: 'below', left: { feature: 'stoch_k_14' }, right: { feature: 'stoch_d_14' } },
      { left: { feature: 'stoch_d_14' }, op: '>', right: { value: 80 } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'stoch_d_14', from: 80, to: 95, weight: 30 },
      { feature: 'rsi_14', from: 60, to: 75, weight: 20 },
    ],
  },
  evidence: ['stoch_k_14', 'stoch_d_14', 'rsi_14', 'close'],
};
