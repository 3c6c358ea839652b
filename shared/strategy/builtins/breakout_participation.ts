import { z } from 'zod';
import { breakoutParticipation as template } from '../../signals/templates/breakout_participation.ts';
import type { BuiltinStrategy } from './types.ts';

const Params = z.strictObject({
  stop_pct: z.number().gt(0).lt(1).default(0.05).describe('Stop this fraction below the entry price'),
  trail_atr: z
    .number()
    .gt(0)
    .max(100)
    .default(3)
    .describe('Trailing stop this many ATR 14 below the highest high since entry'),
  time_stop: z.number().int().min(1).max(10_000).default(20).describe('Leave after this many bars'),
  max_positions: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe('Most positions open at once; equity is split equally over them'),
});

/**
 * The breakout_participation template's rule (close above the prior 20-day high on at least 1.5x average
 * volume), read from its features so it needs no stored signal facts; heaviest relative volume first;
 * out at a fixed stop, an ATR trailing stop or after `time_stop` bars.
 */
export const breakoutParticipation: BuiltinStrategy = {
  id: 'breakout_participation',
  description:
    'Close above the prior 20-day high on 1.5x average volume; 5% stop, 3 ATR trailing stop, 20-bar time stop.',
  params: Params,
  build(params) {
    const p = Params.parse(params);
    return {
      id: 'breakout_participation',
      version: 1,
      name: 'Breakout with participation',
      description: `Close above the prior 20-day high on 1.5x average volume; ${p.stop_pct * 100}% stop, ${p.trail_atr} ATR trailing stop, ${p.time_stop}-bar time stop.`,
      type: 'BO',
      asset_types: ['crypto', 'equity'],
      entry: {
        long: { when: template.when },
        rank: { by: 'rvol_20', order: 'desc' },
        max_positions: p.max_positions,
      },
      exit: {
        stop: { pct: p.stop_pct },
        trailing: { atr: p.trail_atr },
        time_stop_bars: p.time_stop,
      },
      sizing: { mode: 'equal' },
    };
  },
};
