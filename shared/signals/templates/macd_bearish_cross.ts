import type { SignalTemplate } from '../schema.ts';

/** Momentum turning down; volume and RSI below its midline confirm it. */
export const macdBearishCross: SignalTemplate = {
  id: 'macd_bearish_cross',
  version: 1,
  name: 'MACD bearish cross',
  description: 'MACD(12,26) crosses below its 9-day signal line.',
  direction: 'bearish',
  asset_types: ['crypto', 'equity'],
  when: { cross: 'below', left: { feature: 'macd' }, right: { feature: 'macd_signal' } },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 1, to: 2, weight: 25 },
      { feature: 'rsi_14', from: 55, to: 35, weight: 25 },
    ],
  },
  evidence: ['macd', 'macd_signal', 'macd_hist', 'rsi_14', 'rvol_20', 'close'],
};
