import type { SignalTemplate } from '../schema.ts';

/** The squeeze fires upward: the bands leave the Keltner channel with positive momentum; volume and the week's gain add strength. */
export const squeezeReleaseUp: SignalTemplate = {
  id: 'squeeze_release_up',
  version: 1,
  name: 'Squeeze release up',
  description:
    'The Bollinger-in-Keltner squeeze ends today with 10-day momentum up and the close above the Keltner mid line.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { cross: 'below', left: { feature: 'squeeze_20' }, right: { value: 0.5 } },
      { left: { feature: 'mom_10' }, op: '>', right: { value: 0 } },
      { left: { feature: 'close' }, op: '>', right: { feature: 'kc_middle_20' } },
    ],
  },
  strength: {
    base: 50,
    terms: [
      { feature: 'rvol_20', from: 1, to: 2, weight: 25 },
      { feature: 'ret_5', from: 0, to: 0.05, weight: 25 },
    ],
  },
  evidence: ['close', 'kc_middle_20', 'mom_10', 'bb_width_20', 'rvol_20'],
};
