import { z } from 'zod';
import type { BuiltinStrategy } from './types.ts';

const Params = z.strictObject({
  rsi_min: z.number().min(0).max(100).default(50).describe('RSI 14 must be above this for an entry'),
  rsi_exit: z
    .number()
    .min(0)
    .max(100)
    .default(40)
    .describe('Leave at the next open once RSI 14 falls under this'),
  atr_stop: z.number().gt(0).max(100).default(2).describe('Stop this many ATR 14 below the entry price'),
  max_positions: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(10)
    .describe('Most positions open at once; equity is split equally over them'),
});

/**
 * Momentum: long when MACD crosses above its signal line with RSI 14 above `rsi_min`; out at an ATR stop,
 * or at the next open after MACD crosses back below its signal or RSI falls under `rsi_exit`. The
 * strongest RSI takes the free slots; equal split of equity over the slots.
 */
export const rsiMacdMomentum: BuiltinStrategy = {
  id: 'rsi_macd_momentum',
  description: 'MACD crossing above its signal with RSI 14 above 50, ATR 2x stop, out when momentum fades.',
  params: Params,
  build(params) {
    const p = Params.parse(params);
    return {
      id: 'rsi_macd_momentum',
      version: 1,
      name: 'RSI/MACD momentum',
      description: `MACD crossing above its signal with RSI 14 above ${p.rsi_min}, ATR ${p.atr_stop}x stop, out on the MACD cross down or RSI below ${p.rsi_exit}.`,
      type: 'MOM',
      asset_types: ['crypto', 'equity'],
      entry: {
        long: {
          when: {
            all: [
              { cross: 'above', left: { feature: 'macd' }, right: { feature: 'macd_signal' } },
              { left: { feature: 'rsi_14' }, op: '>', right: { value: p.rsi_min } },
            ],
          },
        },
        rank: { by: 'rsi_14', order: 'desc' },
        max_positions: p.max_positions,
      },
      exit: {
        stop: { atr: p.atr_stop },
        signal: {
          long: {
            any: [
              { cross: 'below', left: { feature: 'macd' }, right: { feature: 'macd_signal' } },
              { left: { feature: 'rsi_14' }, op: '<', right: { value: p.rsi_exit } },
            ],
          },
        },
      },
      sizing: { mode: 'equal' },
    };
  },
};
