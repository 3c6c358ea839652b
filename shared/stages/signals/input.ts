import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';
import { AssetIds } from '../input.ts';

/** What a signals run reads from its params. */
export const SignalsParams = z.object({
  /** Also (re)evaluate the dates from here to the run date. */
  from: IsoDate.optional(),
});
export type SignalsParams = z.infer<typeof SignalsParams>;

/** One signals job: a chunk of assets over a window of dates (planSignalJobs). */
export const SignalsJob = z.object({ asset_ids: AssetIds, from: IsoDate, to: IsoDate });
export type SignalsJob = z.infer<typeof SignalsJob>;
