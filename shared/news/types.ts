import type { AssetType } from '../domain/market.ts';

/** A ticker an item names, as its provider sent it, with the provider's own entity scores if any. */
export interface NewsTicker {
  symbol: string;
  /** The provider's sentiment for this ticker in this article, in [-1, 1] (Marketaux entity, FNSPID GPT score). */
  sentiment: number | null;
  /** How strongly the article is about this ticker (Marketaux `match_score`), when given. */
  matchScore: number | null;
}

/** One article as one provider delivered it, before deduplication. */
export interface NewsItem {
  /** The provider (`marketaux`, `tiingo`, `demo`, `fnspid`). */
  source: string;
  /** The provider's id for the item (Marketaux uuid, Tiingo id), or its URL key when it has none. */
  providerId: string;
  url: string;
  title: string;
  summary: string | null;
  body: string | null;
  /** ISO 8601 UTC instant; 00:00 UTC of the day when `dateOnly`. */
  publishedAt: string;
  /** Dated by day only: the article counts for the next session at the earliest. */
  dateOnly: boolean;
  /** The publisher the provider names (e.g. `reuters.com`), if any. */
  publisher: string | null;
  tickers: NewsTicker[];
}

/** What a news provider is asked for: the tickers of one asset type and a window of publication days. */
export interface NewsRequest {
  assetType: AssetType;
  symbols: string[];
  /** First publication day, YYYY-MM-DD (UTC). */
  from: string;
  /** Last publication day, YYYY-MM-DD (UTC), inclusive. */
  to: string;
}

/** A failure that stopped some of a request, with whether trying again later can help. */
export interface NewsError {
  symbols: string[];
  error: string;
  retryable: boolean;
}

/** What one fetch returned: the items, what failed, and whether the provider's quota ran out. */
export interface NewsResult {
  items: NewsItem[];
  errors: NewsError[];
  /** HTTP requests sent (for the run summary and the daily quota). */
  requests: number;
  /** The provider's daily request quota was reached; the rest of the request was not fetched. */
  quotaExhausted: boolean;
}

/** A news source: HTTP providers, the demo generator. */
export interface NewsProvider {
  id: string;
  description: string;
  assetTypes: readonly AssetType[];
  fetchNews(req: NewsRequest): Promise<NewsResult>;
}

/** A `news_articles` row. */
export interface NewsArticleRow {
  id: number;
  url_key: string;
  url: string;
  title: string;
  summary: string | null;
  body: string | null;
  published_at: Date;
  date_only: boolean;
  source: string;
  created_at: Date;
  updated_at: Date;
}

/** A `news_article_sources` row: one provider's copy of an article. */
export interface NewsArticleSourceRow {
  source: string;
  provider_id: string;
  article_id: number;
  url: string;
  url_key: string;
  title: string;
  published_at: Date;
  publisher: string | null;
  fetched_at: Date;
}

/** A `news_mentions` row: article × asset. */
export interface NewsMentionRow {
  article_id: number;
  asset_id: number;
  symbol: string;
  provider_sentiment: number | null;
  match_score: number | null;
  sources: string[];
}
