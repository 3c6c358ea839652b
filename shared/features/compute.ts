// Computes the asset-scoped feature catalogue for one asset's bar history in a single call: one pass per
// indicator over typed arrays, no per-bar allocation, shared intermediates computed once.
import type { BarSeries } from '../domain/market.ts';
import { type AssetFeatureName, FEATURE_GROUPS } from './catalogue.ts';
import { FeatureInput } from './define.ts';
import type { FeatureOptions } from './types.ts';

/** The per-asset features: every catalogue feature except the universe-ranked ones. */
export type AssetFeatures = Record<AssetFeatureName, Float64Array>;

/**
 * Every asset-scoped catalogue feature over the whole series, aligned with `bars.dates`; NaN where
 * undefined, never ±Inf. With `from`, only the values from bar `from` on are wanted (a daily run): they are
 * bit-identical to the whole series' values, while window-local kernels skip the windows before them
 * (FeatureInput.windowed), so earlier bars may read NaN.
 */
export function computeFeatures(bars: BarSeries, opts: FeatureOptions, from = 0): AssetFeatures {
  if (!(opts.periodsPerYear > 0)) {
    throw new RangeError(`periodsPerYear must be positive, got ${opts.periodsPerYear}`);
  }
  const input = new FeatureInput(bars, opts, from);
  const out: Record<string, Float64Array> = {};
  for (const group of FEATURE_GROUPS) Object.assign(out, group.compute(input));
  return out as AssetFeatures;
}
