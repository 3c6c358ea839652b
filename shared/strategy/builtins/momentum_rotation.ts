import { z } from 'zod';
import type { BuiltinStrategy } from './types.ts';

const Params = z.strictObject({
  top_n: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe('How many assets the portfolio holds each week'),
  weekday: z
    .number()
    .int()
    .min(1)
    .max(7)
    .default(1)
    .describe('Rebalance on the first trading day from this weekday on (1 Monday .. 7 Sunday)'),
});

/**
 * Weekly rotation: on the first trading day of each week (from `weekday`, 1 Monday), the `top_n` assets
 * with the highest 60-day return, among those with a positive one, are the portfolio; the rest is sold
 * and the newcomers bought at the next open, equal weights.
 */
export const momentumRotation: BuiltinStrategy = {
  id: 'momentum_rotation',
  description: 'Every week hold the 10 assets with the best positive 60-day return, equal weights.',
  params: Params,
  build(params) {
    const p = Params.parse(params);
    return {
      id: 'momentum_rotation',
      version: 1,
      name: `Top ${p.top_n} momentum rotation`,
      description: `Every week hold the ${p.top_n} assets with the best positive 60-day return, equal weights.`,
      type: 'ROT',
      asset_types: ['crypto', 'equity'],
      entry: {
        long: { when: { left: { feature: 'ret_60' }, op: '>', right: { value: 0 } } },
        rank: { by: 'ret_60', order: 'desc' },
        rebalance: { every: 'week', weekday: p.weekday },
        max_positions: p.top_n,
      },
      sizing: { mode: 'equal' },
    };
  },
};
