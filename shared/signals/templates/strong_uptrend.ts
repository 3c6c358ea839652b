import type { SignalTemplate } from '../schema.ts';

/** A trending ADX with buyers in control and the moving averages stacked; ADX and 60-day return add strength. */
export const strongUptrend: SignalTemplate = {
  id: 'strong_uptrend',
  version: 1,
  name: 'Strong uptrend',
  description: 'ADX(14) above 25 with +DI over -DI and close > SMA 50 > SMA 200.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'adx_14' }, op: '>', right: { value: 25 } },
      { left: { feature: 'plus_di_14' }, op: '>', right: { feature: 'minus_di_14' } },
      { left: { feature: 'close' }, op: '>', right: { feature: 'sma_50' } },
      { left: { feature: 'sma_50' }, op: '>', right: { feature: 'sma_200' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'adx_14', from: 25, to: 50, weight: 30 },
      { feature: 'ret_60', from: 0, to: 0.3, weight: 20 },
    ],
  },
  evidence: ['adx_14', 'plus_di_14', 'minus_di_14', 'close', 'sma_50', 'sma_200', 'ret_60'],
};
