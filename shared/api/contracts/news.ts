// /news and /assets/:asset_type/:symbol/news: the stored news stream (shared/news/).
import { z } from 'zod';
import { AssetType, IsoDate } from '../../domain/market.ts';

const Score = z.coerce.number().min(-1).max(1);
/** Keyset cursor of a news page: the last article's publication instant and id. */
const NewsCursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z~\d{1,15}$/, 'not a news cursor');

const NewsFilters = {
  source: z.enum(['marketaux', 'tiingo', 'demo', 'fnspid']).optional(),
  since: IsoDate.optional(),
  until: IsoDate.optional(),
  /** Articles with a valid sentiment score (of the asset, when one is named) of at least this. */
  min_sentiment: Score.optional(),
  max_sentiment: Score.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: NewsCursor.optional(),
};

/** Query of GET /news: latest articles, filtered by asset, source, publication days and sentiment. */
export const NewsQuery = z
  .object({
    asset: z
      .string()
      .regex(/^[A-Za-z0-9.\-_]{1,20}$/, 'not a symbol')
      .optional(),
    asset_type: AssetType.optional(),
    ...NewsFilters,
  })
  .strict();
export type NewsQuery = z.infer<typeof NewsQuery>;

/** Query of GET /assets/:asset_type/:symbol/news. */
export const AssetNewsQuery = z.object(NewsFilters).strict();
export type AssetNewsQuery = z.infer<typeof AssetNewsQuery>;

/** One provider's copy of an article. */
export const NewsSource = z.object({
  source: z.string(),
  provider_id: z.string(),
  url: z.string(),
  publisher: z.string().nullable(),
});

/** An asset an article mentions, with the provider's scores and the latest valid sentiment score. */
export const NewsMention = z.object({
  symbol: z.string(),
  asset_type: z.string(),
  provider_sentiment: z.number().nullable(),
  match_score: z.number().nullable(),
  sentiment: z
    .object({ score: z.number(), relevance: z.number(), impact: z.number(), scorer_version: z.string() })
    .nullable(),
});

/** One deduplicated article with every provider's copy and its mentions. */
export const NewsArticle = z.object({
  id: z.number(),
  title: z.string(),
  url: z.string(),
  summary: z.string().nullable(),
  published_at: z.string(),
  date_only: z.boolean(),
  sources: z.array(NewsSource),
  mentions: z.array(NewsMention),
});
export type NewsArticle = z.infer<typeof NewsArticle>;

/** A page of articles, newest first; `next_cursor` fetches the next (older) page. */
export const NewsList = z.object({ items: z.array(NewsArticle), next_cursor: z.string().nullable() });
export type NewsList = z.infer<typeof NewsList>;
