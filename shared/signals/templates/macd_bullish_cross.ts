import type { SignalTemplate } from '../schema.ts';

/** Momentum turning up; volume and RSI above its midline confirm it. */
export const macdBullishCross: SignalTemplate = {
  id: 'macd_bullish_cross',
  version: 1,
  name: 'MACD bullish cross',
  description: 'MACD(12,26) crosses above its 9-day signal line.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: { cross: 'above', left: { feature: 'macd' }, right: { feature: 'macd_signal' } },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 1, to: 2, weight: 25 },
      { feature: 'rsi_14', from: 45, to: 65, weight: 25 },
    ],
  },
  evidence: ['macd', 'macd_signal', 'macd_hist', 'rsi_14', 'rvol_20', 'close'],
};
