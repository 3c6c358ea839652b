// /features: the feature dictionary, and the feature names other contracts accept.
import { z } from 'zod';
import { FEATURE_NAMES } from '../../features/catalogue.ts';

/** A catalogue feature column name. */
export const FeatureName = z.enum(FEATURE_NAMES as [string, ...string[]], {
  error: (issue) => `unknown feature "${String(issue.input).slice(0, 40)}"`,
});

/** One catalogue feature as GET /features describes it. */
export const FeatureDictionaryEntry = z.object({
  name: z.string(),
  description: z.string(),
  category: z.string(),
  unit: z.string(),
  lookback: z.number(),
  /** `universe`: computed across the universe after every asset's features (percentile ranks). */
  scope: z.enum(['asset', 'universe']).optional(),
});
export type FeatureDictionaryEntry = z.infer<typeof FeatureDictionaryEntry>;

/** GET /features. */
export const FeatureList = z.object({ items: z.array(FeatureDictionaryEntry) });
export type FeatureList = z.infer<typeof FeatureList>;
