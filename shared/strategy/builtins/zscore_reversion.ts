import { z } from 'zod';
import type { BuiltinStrategy } from './types.ts';

const Params = z
  .strictObject({
    entry_z: z
      .number()
      .gt(0)
      .max(10)
      .default(2)
      .describe('Enter long when the 20-day z-score of the close falls below minus this'),
    exit_z: z
      .number()
      .min(-10)
      .max(10)
      .default(0)
      .describe('Leave at the next open once the z-score is back at this'),
    stop_pct: z.number().gt(0).lt(1).default(0.1).describe('Stop this fraction below the entry price'),
    time_stop: z.number().int().min(1).max(10_000).default(10).describe('Leave after this many bars'),
    max_positions: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(10)
      .describe('Most positions open at once; equity is split equally over them'),
  })
  .refine((p) => p.exit_z > -p.entry_z, { message: 'exit_z must be above -entry_z', path: ['exit_z'] });

/**
 * Mean reversion on the 20-day z-score of the close: long below `-entry_z` (the most stretched first),
 * out at the next open once it is back at `exit_z`, at a fixed stop or after `time_stop` bars.
 */
export const zscoreReversion: BuiltinStrategy = {
  id: 'zscore_reversion',
  description:
    'Long when the 20-day z-score of the close falls below -2, out back at 0, 10% stop, 10-bar time stop.',
  params: Params,
  build(params) {
    const p = Params.parse(params);
    return {
      id: 'zscore_reversion',
      version: 1,
      name: 'Z-score reversion',
      description: `Long when the 20-day z-score of the close falls below -${p.entry_z}, out back at ${p.exit_z}, ${p.stop_pct * 100}% stop, ${p.time_stop}-bar time stop.`,
      type: 'MR',
      asset_types: ['crypto', 'equity'],
      entry: {
        long: { when: { left: { feature: 'zscore_20' }, op: '<', right: { value: -p.entry_z } } },
        rank: { by: 'zscore_20', order: 'asc' },
        max_positions: p.max_positions,
      },
      exit: {
        stop: { pct: p.stop_pct },
        time_stop_bars: p.time_stop,
        signal: { long: { left: { feature: 'zscore_20' }, op: '>=', right: { value: p.exit_z } } },
      },
      sizing: { mode: 'equal' },
    };
  },
};
