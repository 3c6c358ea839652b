// Response envelopes of the control-api, composed from the shared schemas (the single source of types).
import type { z } from 'zod';
import type { AssetList } from '../../../shared/api/contracts/assets.ts';
import type { FeatureDictionaryEntry as FeatureDictionaryEntrySchema } from '../../../shared/api/contracts/features.ts';
import type { ReviewView } from '../../../shared/api/contracts/reviews.ts';
import type { RunView } from '../../../shared/api/contracts/runs.ts';
import type { SignalView } from '../../../shared/api/contracts/signals.ts';
import type { TemplateView } from '../../../shared/api/contracts/templates.ts';
import type { AssetType } from '../../../shared/domain/market.ts';

export type FeatureDictionaryEntry = z.infer<typeof FeatureDictionaryEntrySchema>;

export interface RunList {
  items: RunView[];
}
export interface TriggerResult {
  runs: RunView[];
}
export type DatedSignal = SignalView & { symbol: string; asset_type: AssetType; date: string };
/** `date` is null when no date was given and nothing has been computed yet. */
export interface SignalList {
  date: string | null;
  items: DatedSignal[];
}
export type AssetReview = ReviewView & { symbol: string; asset_type: AssetType };
export interface ReviewList {
  date: string | null;
  items: AssetReview[];
}
export interface FeatureList {
  items: FeatureDictionaryEntry[];
}
export interface TemplateList {
  items: TemplateView[];
}

/** One page of GET /assets; `next_cursor` continues it. */
export type AssetPage = AssetList;
export type { QualityEntry, QualityList } from '../../../shared/api/contracts/quality.ts';
