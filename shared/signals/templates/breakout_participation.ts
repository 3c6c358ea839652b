import type { SignalTemplate } from '../schema.ts';

/** A 20-day breakout backed by volume; heavier volume and a nearby 52-week high add strength. */
export const breakoutParticipation: SignalTemplate = {
  id: 'breakout_participation',
  version: 1,
  name: 'Breakout with participation',
  description: 'Close above the prior 20-day high on at least 1.5x average volume.',
  direction: 'bullish',
  asset_types: ['crypto', 'equity'],
  when: {
    all: [
      { left: { feature: 'close' }, op: '>', right: { feature: 'prior_high_20' } },
      { left: { feature: 'rvol_20' }, op: '>=', right: { value: 1.5 } },
    ],
  },
  strength: {
    base: 40,
    terms: [
      { feature: 'rvol_20', from: 1.5, to: 3, weight: 40 },
      { feature: 'dist_high_252', from: -0.2, to: 0, weight: 20 },
    ],
  },
  evidence: ['close', 'prior_high_20', 'rvol_20', 'volume', 'dist_high_252'],
};
