import type { SignalTemplate } from '../schema.ts';

/** Volatility waking up: ATR up 30% in two weeks and today's range 1.5x the ATR; volume and the ATR level add strength. */
export const atrExpansion: SignalTemplate = {
  id: 'atr_expansion',
  version: 1,
  name: 'ATR expansion',
  description:
    "ATR(14) up at least 30% over 10 trading days and today's high-low range at least 1.5x the ATR.",
  direction: 'neutral',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { change: { feature: 'atr_14' }, days: 10, mode: 'pct', op: '>=', value: 0.3 },
      // range_pct is a fraction of the close, natr_14 a percentage of it.
      { left: { feature: 'range_pct', times: 100 }, op: '>=', right: { feature: 'natr_14', times: 1.5 } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 1, to: 3, weight: 25 },
      { feature: 'natr_14', from: 2, to: 6, weight: 25 },
    ],
  },
  evidence: ['atr_14', 'natr_14', 'range_pct', 'rvol_20', 'close'],
};
