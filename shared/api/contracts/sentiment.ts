// /sentiment/:asset_type/:symbol and /sentiment/shortlists: daily sentiment and news re-ranked shortlists.
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';
import { AssetPath } from './assets.ts';

/** One day of an asset's sentiment. */
export const DailySentimentView = z.object({
  date: z.string(),
  news_count: z.number(),
  mean: z.number().nullable(),
  weighted_mean: z.number().nullable(),
  dispersion: z.number().nullable(),
  decayed: z.number().nullable(),
  scorer_version: z.string(),
});

export const SentimentPath = AssetPath;
export const SentimentQuery = z.object({ from: IsoDate.optional(), to: IsoDate.optional() }).strict();
export type SentimentQuery = z.infer<typeof SentimentQuery>;
export const SentimentSeries = z.object({ symbol: z.string(), items: z.array(DailySentimentView) });
export type SentimentSeries = z.infer<typeof SentimentSeries>;

/** Query of GET /sentiment/shortlists: one list and date (default: its latest). */
export const ShortlistQuery = z
  .object({
    list: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'not a list id')
      .default('reviews'),
    date: IsoDate.optional(),
  })
  .strict();
export type ShortlistQuery = z.infer<typeof ShortlistQuery>;

export const ShortlistView = z.object({
  symbol: z.string(),
  asset_type: AssetType,
  base_rank: z.number(),
  rank: z.number(),
  news_score: z.number().nullable(),
  article_count: z.number(),
  scorer_version: z.string(),
  reasons: z.array(
    z.object({ headline: z.string(), score: z.number(), relevance: z.number(), session: z.string() }),
  ),
});
export const ShortlistList = z.object({
  list: z.string(),
  date: z.string().nullable(),
  items: z.array(ShortlistView),
});
export type ShortlistList = z.infer<typeof ShortlistList>;
