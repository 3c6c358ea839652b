import { z } from 'zod';
import type { BuiltinStrategy } from './types.ts';

const Params = z
  .strictObject({
    fast: z
      .number()
      .int()
      .min(2)
      .max(400)
      .default(10)
      .describe('Period of the fast SMA of the close, in bars'),
    slow: z
      .number()
      .int()
      .min(2)
      .max(400)
      .default(30)
      .describe('Period of the slow SMA of the close, in bars'),
  })
  .refine((p) => p.fast < p.slow, { message: 'fast must be below slow', path: ['fast'] });

/**
 * The classic example of backtesting libraries (backtesting.py's SmaCross): long when the fast SMA of the
 * close crosses above the slow one, short when it crosses below, closing the previous position first;
 * every entry takes all available cash, whole units for equities, at the next open, no costs.
 */
export const smaCross: BuiltinStrategy = {
  id: 'sma_cross',
  description:
    'SMA crossover of the close (fast 10, slow 30): long on the cross up, short on the cross down.',
  params: Params,
  build(params) {
    const { fast, slow } = Params.parse(params);
    const ma = (cross: 'above' | 'below') => ({
      ma_cross: {
        fast: { kind: 'sma' as const, period: fast },
        slow: { kind: 'sma' as const, period: slow },
        cross,
      },
    });
    return {
      id: 'sma_cross',
      version: 1,
      name: `SMA cross ${fast}/${slow}`,
      description: `SMA ${fast}/${slow} crossover of the close: long on the cross up, short on the cross down.`,
      type: 'TF',
      asset_types: ['crypto', 'equity'],
      entry: { long: ma('above'), short: ma('below'), max_positions: 1 },
      exit: { reverse: true },
      sizing: { mode: 'all_cash' },
    };
  },
};
