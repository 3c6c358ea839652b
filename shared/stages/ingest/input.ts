import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';
import { AssetIds } from '../input.ts';

/** What an ingest run reads from its params. */
export const IngestParams = z.object({
  /** Fetch history from this date (a backfill); afterRun also sets it to the earliest repaired bar. */
  from: IsoDate.optional(),
  /** Only these symbols of the universe (a targeted backfill). */
  symbols: z.array(z.string()).optional(),
  /** Calendar days the daily ingest re-fetches before the run date (default: STRATOS_REPAIR_DAYS). */
  repair_days: z.number().int().nonnegative().optional(),
});
export type IngestParams = z.infer<typeof IngestParams>;

/** One ingest job: a provider batch of assets, and its yearly window when the run is a backfill. */
export const IngestJob = z.object({ asset_ids: AssetIds, from: IsoDate.optional(), to: IsoDate.optional() });
export type IngestJob = z.infer<typeof IngestJob>;
