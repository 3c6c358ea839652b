import type { SignalTemplate } from '../schema.ts';

/** Mean reversion in an uptrend: a close under the lower band (%B < 0, a 20-day z-score below -2) above the 200-day SMA; depth and a low RSI add strength. */
export const bbOversoldUptrend: SignalTemplate = {
  id: 'bb_oversold_uptrend',
  version: 1,
  name: 'Below the lower band in an uptrend',
  description: 'Bollinger %B below 0 (close under the lower band) with the close above its 200-day SMA.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'bb_pctb_20' }, op: '<', right: { value: 0 } },
      { left: { feature: 'close' }, op: '>', right: { feature: 'sma_200' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'bb_pctb_20', from: 0, to: -0.3, weight: 25 },
      { feature: 'rsi_14', from: 40, to: 25, weight: 25 },
    ],
  },
  evidence: ['close', 'bb_lower_20', 'bb_pctb_20', 'zscore_20', 'sma_200', 'rsi_14'],
};
