import type { SignalTemplate } from '../schema.ts';

/** Wilder's trend threshold: ADX rises through 25, climbing (5 points in 5 days) with +DI on top; DI spread and the month's return add strength. */
export const adxTrendStart: SignalTemplate = {
  id: 'adx_trend_start',
  version: 1,
  name: 'ADX trend start',
  description: 'ADX(14) crosses above 25, up at least 5 points in 5 days, with +DI above -DI.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { cross: 'above', left: { feature: 'adx_14' }, right: { value: 25 } },
      { change: { feature: 'adx_14' }, days: 5, mode: 'abs', op: '>=', value: 5 },
      { left: { feature: 'plus_di_14' }, op: '>', right: { feature: 'minus_di_14' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'dx_14', from: 20, to: 50, weight: 30 },
      { feature: 'ret_20', from: 0, to: 0.1, weight: 20 },
    ],
  },
  evidence: ['adx_14', 'plus_di_14', 'minus_di_14', 'dx_14', 'close'],
};
