import type { SignalTemplate } from '../schema.ts';

/** Wilder's oversold level; strength grows as RSI falls toward 10. */
export const rsiOversold: SignalTemplate = {
  id: 'rsi_oversold',
  version: 1,
  name: 'RSI oversold',
  description: 'RSI(14) below 30: selling looks exhausted, a mean-reversion bounce setup.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: { left: { feature: 'rsi_14' }, op: '<', right: { value: 30 } },
  strength: { base: 50, terms: [{ feature: 'rsi_14', from: 30, to: 10, weight: 50 }] },
  evidence: ['rsi_14', 'close', 'stoch_k_14', 'dist_sma_200'],
};
