// The body every stage function (ingest-ohlcv, calc-features, evaluate-signals, ai-review) accepts.
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';
import { UniverseId } from '../../domain/universes.ts';

/**
 * Body of every stage function: an optional date and either an asset type (meaning its
 * `<type>_all` universe) or a universe id.
 */
export const StageRequest = z
  .object({
    /** Default: the universe's latest complete day. */
    date: IsoDate.optional(),
    asset_type: AssetType.optional(),
    universe: UniverseId.optional(),
    /** Whether finishing the stage starts the next one (default true). */
    chain: z.boolean().optional(),
    /** review only: maximum number of assets to review. */
    limit: z.number().int().positive().max(5000).optional(),
    /** ingest/features: also (re)build history from this date. */
    from: IsoDate.optional(),
  })
  .strict()
  .refine((b) => (b.asset_type === undefined) !== (b.universe === undefined), {
    message: 'give exactly one of asset_type or universe',
  });
export type StageRequest = z.infer<typeof StageRequest>;
