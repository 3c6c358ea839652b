// The feature catalogue: every `daily_features` column, defined once in a group under groups/. The
// migrations and this list must agree; a test holds them together.
import { momentumGroup } from './groups/momentum.ts';
import { patternGroup } from './groups/patterns.ts';
import { relativeGroup } from './groups/relative.ts';
import { returnsGroup } from './groups/returns.ts';
import { candleGroup, structureGroup } from './groups/structure.ts';
import { trendGroup } from './groups/trend.ts';
import { volatilityGroup } from './groups/volatility.ts';
import { volumeGroup } from './groups/volume.ts';
import type { FeatureDef } from './types.ts';

/** Every group, in dictionary order. */
export const FEATURE_GROUPS = [
  returnsGroup,
  trendGroup,
  momentumGroup,
  volatilityGroup,
  volumeGroup,
  structureGroup,
  candleGroup,
  patternGroup,
  relativeGroup,
] as const;

type Defs = (typeof FEATURE_GROUPS)[number]['defs'][number];

/** Name of a catalogue feature, which is also its `daily_features` column. */
export type FeatureName = Defs['name'];

/** Name of a feature computed per asset (not ranked across the universe). */
export type AssetFeatureName = Exclude<Defs, { scope: 'universe' }>['name'];

/** Every feature, in dictionary order. */
export const FEATURES = FEATURE_GROUPS.flatMap(
  (g): readonly FeatureDef[] => g.defs,
) as readonly (FeatureDef & {
  name: FeatureName;
})[];

/** Every feature name, e.g. for the feature dictionary and column lists. */
export const FEATURE_NAMES: FeatureName[] = FEATURES.map((d) => d.name);

/** Features computed per asset from its own bars (and its benchmark's): what the feature jobs write. */
export const ASSET_FEATURE_NAMES = FEATURES.filter((d) => d.scope !== 'universe').map(
  (d) => d.name,
) as AssetFeatureName[];

/** Features ranked across the universe for a day from every asset's returns (shared/stages/features/ranks.ts). */
export const UNIVERSE_FEATURE_NAMES: FeatureName[] = FEATURES.filter((d) => d.scope === 'universe').map(
  (d) => d.name,
);
