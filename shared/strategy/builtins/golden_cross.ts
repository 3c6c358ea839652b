import { z } from 'zod';
import type { BuiltinStrategy } from './types.ts';

const Params = z.strictObject({
  trail_pct: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.15)
    .describe('Trailing stop this fraction below the highest high since entry'),
  max_positions: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(20)
    .describe('Most positions open at once; equity is split equally over them'),
});

const cross = (dir: 'above' | 'below') =>
  ({ cross: dir, left: { feature: 'sma_50' }, right: { feature: 'sma_200' } }) as const;

/**
 * Trend following: long when SMA 50 crosses above SMA 200 (the golden cross), out at a trailing stop
 * `trail_pct` below the highest high since entry or at the next open after the death cross.
 */
export const goldenCross: BuiltinStrategy = {
  id: 'golden_cross',
  description: 'Long on the SMA 50/200 golden cross, out at a 15% trailing stop or the death cross.',
  params: Params,
  build(params) {
    const p = Params.parse(params);
    return {
      id: 'golden_cross',
      version: 1,
      name: 'Golden cross',
      description: `Long on the SMA 50/200 golden cross, out at a ${p.trail_pct * 100}% trailing stop or the death cross.`,
      type: 'TF',
      asset_types: ['crypto', 'equity'],
      entry: { long: { when: cross('above') }, max_positions: p.max_positions },
      exit: { trailing: { pct: p.trail_pct }, signal: { long: cross('below') } },
      sizing: { mode: 'equal' },
    };
  },
};
