import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';
import { AssetIds } from '../input.ts';

/** What a news run reads from its params. */
export const NewsParams = z.object({
  /** Also fetch news published from this day (a backfill, or the range ingest repaired). */
  from: IsoDate.optional(),
});
export type NewsParams = z.infer<typeof NewsParams>;

/** One news job: a batch of assets and the publication days to fetch. */
export const NewsJob = z.object({ asset_ids: AssetIds, from: IsoDate, to: IsoDate });
export type NewsJob = z.infer<typeof NewsJob>;
