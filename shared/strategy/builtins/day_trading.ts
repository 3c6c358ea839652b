import { z } from 'zod';
import type { BuiltinStrategy } from './types.ts';

const Params = z.strictObject({
  rvol_min: z
    .number()
    .min(0)
    .max(100)
    .default(1.15)
    .describe('Volume must be at least this multiple of its 20-day average'),
  trail_pct: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.02)
    .describe('Trailing stop this fraction below the highest price known'),
  max_positions: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(5)
    .describe('Most positions open at once; equity is split equally over them'),
});

/** Entry price range (in [min_price, max_price)) to profit target: cheaper stocks move further in a day. */
const BRACKETS = [
  { min_price: 0, max_price: 10, target_pct: 0.04 },
  { min_price: 10, max_price: 50, target_pct: 0.03 },
  { min_price: 50, max_price: 200, target_pct: 0.02 },
  { min_price: 200, max_price: 1e9, target_pct: 0.015 },
];

/**
 * The day-trading rules in end-of-day mode: the assets that closed up, above their SMA 20, on volume at
 * least `rvol_min` times the 20-day average (the screener's pool), heaviest volume first, are bought at
 * the next open; the bracket row of the entry price sets the target, a trailing stop `trail_pct` below the
 * highest price known (on the entry bar, the open) protects it, and whatever is left is sold at the close.
 */
export const dayTrading: BuiltinStrategy = {
  id: 'day_trading',
  description:
    'Buy at the open after an up day on 1.15x volume, price-range bracket target, 2% trailing stop, out at the close.',
  params: Params,
  build(params) {
    const p = Params.parse(params);
    return {
      id: 'day_trading',
      version: 1,
      name: 'Day trading',
      description: `Buy at the open after an up day above SMA 20 on ${p.rvol_min}x volume, price-range bracket target, ${p.trail_pct * 100}% trailing stop, out at the close.`,
      type: 'DAY',
      asset_types: ['crypto', 'equity'],
      entry: {
        long: {
          when: {
            all: [
              { left: { feature: 'rvol_20' }, op: '>=', right: { value: p.rvol_min } },
              { left: { feature: 'ret_1' }, op: '>', right: { value: 0 } },
              { left: { feature: 'close' }, op: '>', right: { feature: 'sma_20' } },
            ],
          },
        },
        rank: { by: 'rvol_20', order: 'desc' },
        max_positions: p.max_positions,
      },
      exit: { end_of_day: true, brackets: BRACKETS, trailing: { pct: p.trail_pct } },
      sizing: { mode: 'equal' },
    };
  },
};
