import type { SignalTemplate } from '../schema.ts';

/** Connors' RSI(2) in reverse: a short-term spike inside a long-term downtrend; a higher RSI(2) adds strength. */
export const rsi2OverboughtDowntrend: SignalTemplate = {
  id: 'rsi2_overbought_downtrend',
  version: 1,
  name: 'RSI(2) spike in a downtrend',
  description:
    'RSI(2) above 90 with the close below its 200-day SMA: a short-term bounce in a long-term downtrend.',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'rsi_2' }, op: '>', right: { value: 90 } },
      { left: { feature: 'close' }, op: '<', right: { feature: 'sma_200' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rsi_2', from: 90, to: 100, weight: 30 },
      { feature: 'dist_sma_200', from: 0, to: -0.1, weight: 20 },
    ],
  },
  evidence: ['rsi_2', 'close', 'sma_200', 'dist_sma_200'],
};
