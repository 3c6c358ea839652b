import type { SignalTemplate } from '../schema.ts';

/** Wilder's overbought level; strength grows as RSI rises toward 90. */
export const rsiOverbought: SignalTemplate = {
  id: 'rsi_overbought',
  version: 1,
  name: 'RSI overbought',
  description: 'RSI(14) above 70: buying looks stretched, pullback risk.',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: { left: { feature: 'rsi_14' }, op: '>', right: { value: 70 } },
  strength: { base: 50, terms: [{ feature: 'rsi_14', from: 70, to: 90, weight: 50 }] },
  evidence: ['rsi_14', 'close', 'stoch_k_14', 'dist_sma_200'],
};
