import type { SignalTemplate } from '../schema.ts';

/** Connors' RSI(2) pullback: deeply oversold short term inside a long-term uptrend; a lower RSI(2) adds strength. */
export const rsi2OversoldUptrend: SignalTemplate = {
  id: 'rsi2_oversold_uptrend',
  version: 1,
  name: 'RSI(2) pullback in an uptrend',
  description:
    'RSI(2) below 10 with the close above its 200-day SMA: a short-term dip in a long-term uptrend.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'rsi_2' }, op: '<', right: { value: 10 } },
      { left: { feature: 'close' }, op: '>', right: { feature: 'sma_200' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rsi_2', from: 10, to: 0, weight: 30 },
      { feature: 'dist_sma_200', from: 0, to: 0.1, weight: 20 },
    ],
  },
  evidence: ['rsi_2', 'close', 'sma_200', 'dist_sma_200'],
};
