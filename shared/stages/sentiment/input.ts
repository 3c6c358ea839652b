import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';
import { AssetIds } from '../input.ts';

/** What a sentiment run reads from its params. */
export const SentimentParams = z.object({
  /** Also (re)aggregate the days from here to the run date (a backfill's range, passed down the chain). */
  from: IsoDate.optional(),
});
export type SentimentParams = z.infer<typeof SentimentParams>;

/** One sentiment job: a chunk of assets with news, over a range of days. */
export const SentimentJob = z.object({ asset_ids: AssetIds, from: IsoDate, to: IsoDate });
export type SentimentJob = z.infer<typeof SentimentJob>;
