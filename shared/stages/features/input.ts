import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';
import { AssetIds } from '../input.ts';

/** What a features run reads from its params. */
export const FeaturesParams = z.object({
  /** Also (re)compute the rows dated from here to the run date. */
  from: IsoDate.optional(),
});
export type FeaturesParams = z.infer<typeof FeaturesParams>;

/** One features job: a chunk of assets, and the window of dates it writes when the run covers a range. */
export const FeaturesJob = z.object({
  asset_ids: AssetIds,
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
export type FeaturesJob = z.infer<typeof FeaturesJob>;
