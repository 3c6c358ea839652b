import type { SignalTemplate } from '../schema.ts';

/** Leadership that lasts: top quintile of the universe by 60-day return for two weeks running; return and outperformance add strength. */
export const persistentLeader: SignalTemplate = {
  id: 'persistent_leader',
  version: 1,
  name: 'Persistent leader',
  description: "60-day return in the universe's top quintile on each of the last 10 trading days.",
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: { held: { rank: 'ret_60', op: '>=', value: 0.8 }, days: 10 },
  strength: {
    base: 50,
    terms: [
      { feature: 'ret_60', from: 0.1, to: 0.4, weight: 30 },
      { feature: 'rel_strength_60', from: 0, to: 0.2, weight: 20 },
    ],
  },
  evidence: ['ret_60', 'rel_strength_60', 'close'],
};
