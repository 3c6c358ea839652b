import type { Condition, SignalTemplate } from '../schema.ts';

const leading: Condition = { rank: 'ret_60', op: '>=', value: 0.8 };

/** Leadership that lasts: 60-day return in the universe's top quintile on a 10th straight day, once per run; return and outperformance add strength. */
export const persistentLeader: SignalTemplate = {
  id: 'persistent_leader',
  version: 1,
  name: 'Persistent leader',
  description: "60-day return in the universe's top quintile for the 10th trading day in a row.",
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: { all: [{ held: leading, days: 10 }, { not: { held: leading, days: 11 } }] },
  strength: {
    base: 50,
    terms: [
      { feature: 'ret_60', from: 0.1, to: 0.4, weight: 30 },
      { feature: 'rel_strength_60', from: 0, to: 0.2, weight: 20 },
    ],
  },
  evidence: ['ret_60', 'rel_strength_60', 'close'],
};
