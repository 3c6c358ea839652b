// Computes the asset-scoped feature catalogue for one asset's bar history in a single call: one pass per
// indicator over typed arrays, no per-bar allocation, shared intermediates computed once.
import type { BarSeries } from '../domain/market.ts';
import type { KernelState } from '../indicators/state.ts';
import { type AssetFeatureName, FEATURE_GROUPS } from './catalogue.ts';
import { FeatureInput } from './define.ts';
import type { FeatureOptions } from './types.ts';

/** The per-asset features: every catalogue feature except the universe-ranked ones. */
export type AssetFeatures = Record<AssetFeatureName, Float64Array>;

/**
 * Every asset-scoped catalogue feature over the whole series, aligned with `bars.dates`; NaN where
 * undefined, never ±Inf. With `from`, only the values from bar `from` on are wanted (a daily run): they are
 * bit-identical to the whole series' values, while window-local kernels skip the windows before them
 * (FeatureInput.windowed), so earlier bars may read NaN. With `state`, the recursive kernels record their
 * running state after the last bar in it; a resuming state (recorded after bar `state.at`, the bars being a
 * tail of the history that `offset` bars precede) gives the values from `from > state.at` on, bit-identical
 * too, from the tail alone. Throws when the state does not fit the kernels.
 */
export function computeFeatures(
  bars: BarSeries,
  opts: FeatureOptions,
  from = 0,
  state?: KernelState,
  offset = 0,
): AssetFeatures {
  if (!(opts.periodsPerYear > 0)) {
    throw new RangeError(`periodsPerYear must be positive, got ${opts.periodsPerYear}`);
  }
  if (state?.resuming && !(from > state.at)) {
    throw new RangeError(`a state recorded after bar ${state.at} gives values after it, not from ${from}`);
  }
  const input = new FeatureInput(bars, opts, from, state, offset);
  const out: Record<string, Float64Array> = {};
  for (const group of FEATURE_GROUPS) Object.assign(out, group.compute(input));
  state?.finish();
  return out as AssetFeatures;
}
