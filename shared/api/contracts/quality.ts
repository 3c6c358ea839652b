// /quality: the data-quality ledger.
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';

/** The kinds of data-quality ledger entries. */
export const QualityKind = z.enum(['rejected', 'flagged', 'reconciliation', 'gap']);

/** Query of GET /quality: one date's entries (default: the newest entries), optionally of one kind. */
export const QualityQuery = z
  .object({
    date: IsoDate.optional(),
    kind: QualityKind.optional(),
    asset_type: AssetType.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type QualityQuery = z.infer<typeof QualityQuery>;

/** One data-quality ledger entry: a rejected or flagged input row, a provider disagreement or a gap. */
export const QualityEntry = z.object({
  id: z.number(),
  /** The bar's date as the input gave it (rejected rows may carry an unparseable one). */
  date: z.string().nullable(),
  kind: QualityKind,
  source: z.string(),
  symbol: z.string().nullable(),
  asset_type: z.string().nullable(),
  reason: z.string(),
  raw: z.unknown(),
  recorded_at: z.string(),
});
export type QualityEntry = z.infer<typeof QualityEntry>;

/** GET /quality. */
export const QualityList = z.object({ date: z.string().nullable(), items: z.array(QualityEntry) });
export type QualityList = z.infer<typeof QualityList>;
