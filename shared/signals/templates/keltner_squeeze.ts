import type { Condition, SignalTemplate } from '../schema.ts';

const squeezed: Condition = { left: { feature: 'squeeze_20' }, op: '==', right: { value: 1 } };

/** Carter's squeeze matured: Bollinger inside Keltner on a 6th straight day, once per squeeze; narrower bands and a weaker ADX add strength. */
export const keltnerSqueeze: SignalTemplate = {
  id: 'keltner_squeeze',
  version: 1,
  name: 'Keltner squeeze',
  description:
    'Bollinger bands (20, 2) inside the Keltner channel (20, 2 ATR) for the 6th trading day in a row.',
  direction: 'neutral',
  asset_types: ['crypto', 'equity'],
  when: { all: [{ held: squeezed, days: 6 }, { not: { held: squeezed, days: 7 } }] },
  strength: {
    base: 50,
    terms: [
      { feature: 'bb_width_20', from: 0.08, to: 0.03, weight: 30 },
      { feature: 'adx_14', from: 20, to: 10, weight: 20 },
    ],
  },
  evidence: ['squeeze_20', 'bb_width_20', 'kc_upper_20', 'kc_lower_20', 'adx_14', 'close'],
};
