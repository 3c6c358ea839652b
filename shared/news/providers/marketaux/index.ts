import { z } from 'zod';
import type { AppError } from '../../../errors/index.ts';
import { chunk } from '../../../pipeline/chunk.ts';
import {
  DEFAULT_LIMITS,
  type HttpLimits,
  type ProviderHttpOptions,
  providerClient,
  requestJson,
} from '../../../providers/http/client.ts';
import { fieldsOf } from '../../../providers/http/provider.ts';
import { perDay, perMinute } from '../../../providers/http/token-bucket.ts';
import type { NewsItem, NewsProvider, NewsRequest, NewsResult, NewsTicker } from '../../types.ts';
import { fetchBatches, finiteOrNull, instantOrNull, type NewsPage, statusOf, textOrNull } from '../http.ts';

/** Marketaux's REST host. */
export const MARKETAUX_BASE_URL = 'https://api.marketaux.com';

/** Options for the Marketaux provider: the key, the plan's daily requests and articles per request. */
export interface MarketauxOptions extends ProviderHttpOptions {
  apiKey?: string;
  /** Requests a day the plan allows (free: 100). */
  dailyRequests?: number;
  /** Articles per request (free: 3; paid plans up to 100). */
  pageSize?: number;
  /** Pages fetched per batch of symbols at most. */
  maxPages?: number;
}

// /v1/news/all: { meta: { found, returned, limit, page }, data: [article] }; an article carries
// uuid, title, description, snippet, url, source, published_at and `entities`, each with its own
// symbol, match_score and sentiment_score in [-1, 1]. Articles are read field by field, so one bad
// record is skipped alone.
const Page = z.object({
  meta: z.object({ found: z.number(), returned: z.number(), limit: z.number(), page: z.number() }).partial(),
  data: z.array(z.unknown()),
});

/** Symbols per request: enough to spend few of the daily requests, short enough for any URL limit. */
const BATCH = 20;

/**
 * Marketaux news (`GET /v1/news/all`): symbols in batches with `filter_entities`, English only,
 * pages until `meta` says no more; each entity's own sentiment and match score become the mention's.
 * A 402 (`usage_limit_reached`) or the client's own daily bucket running dry stops the run's
 * requests cleanly; 401/403 are rejected at once; 429 and 5xx are retried honouring Retry-After.
 */
export function createMarketauxProvider(opts: MarketauxOptions = {}): NewsProvider {
  const dailyRequests = opts.dailyRequests ?? 100;
  const pageSize = opts.pageSize ?? 3;
  const limits: HttpLimits = {
    ...DEFAULT_LIMITS,
    rates: [perMinute(60), perDay(dailyRequests)],
    concurrency: 2,
  };
  const client = providerClient({ baseUrl: MARKETAUX_BASE_URL, secrets: [opts.apiKey], limits }, opts);

  let exhaustedUntil = 0;

  async function page(symbols: string[], index: number, req: NewsRequest): Promise<NewsPage> {
    const body = await requestJson(client, '/v1/news/all', {
      schema: Page,
      query: {
        symbols: symbols.join(','),
        filter_entities: 'true',
        language: 'en',
        published_after: `${req.from}T00:00:00`,
        published_before: `${req.to}T23:59:59`,
        limit: pageSize,
        page: index + 1,
        api_token: opts.apiKey,
      },
    });
    const items = body.data.flatMap((record) => article(record) ?? []);
    const { found, returned, limit, page: at } = body.meta;
    const more =
      body.data.length > 0 &&
      (returned ?? body.data.length) >= (limit ?? pageSize) &&
      (found === undefined || (at ?? index + 1) * (limit ?? pageSize) < found);
    return { items, more };
  }

  return {
    id: 'marketaux',
    description: `Marketaux news: US equities by symbol, entity sentiment and match scores (${client.baseUrl})`,
    assetTypes: ['equity'],
    async fetchNews(req: NewsRequest): Promise<NewsResult> {
      const symbols = [...new Set(req.symbols.map((s) => s.toUpperCase()))];
      // Once the quota is spent, later jobs of the day send nothing until the next UTC day.
      if (client.clock.now() < exhaustedUntil) {
        const error = 'not fetched: the Marketaux daily request quota is used up until 00:00 UTC';
        return {
          items: [],
          errors: [{ symbols, error, retryable: true }],
          requests: 0,
          quotaExhausted: true,
        };
      }
      const result = await fetchBatches(
        chunk(symbols, BATCH),
        opts.maxPages ?? 5,
        (batch, index) => page(batch, index, req),
        isQuota,
      );
      if (result.quotaExhausted)
        exhaustedUntil = (Math.floor(client.clock.now() / 86_400_000) + 1) * 86_400_000;
      return result;
    },
  };
}

// 402 is Marketaux's "usage_limit_reached": the plan's daily requests are spent.
function isQuota(err: AppError): boolean {
  return statusOf(err) === 402;
}

function article(record: unknown): NewsItem | null {
  const f = fieldsOf(record);
  const uuid = textOrNull(f.uuid);
  const url = textOrNull(f.url);
  const title = textOrNull(f.title);
  const publishedAt = instantOrNull(f.published_at);
  if (!uuid || !url || !title || !publishedAt) return null;
  const tickers: NewsTicker[] = [];
  for (const entity of Array.isArray(f.entities) ? f.entities : []) {
    const e = fieldsOf(entity);
    const symbol = textOrNull(e.symbol);
    if (!symbol) continue;
    const sentiment = finiteOrNull(e.sentiment_score);
    tickers.push({
      symbol,
      sentiment: sentiment === null ? null : Math.max(-1, Math.min(1, sentiment)),
      matchScore: finiteOrNull(e.match_score),
    });
  }
  return {
    source: 'marketaux',
    providerId: uuid,
    url,
    title,
    summary: textOrNull(f.description) ?? textOrNull(f.snippet),
    body: null,
    publishedAt,
    dateOnly: false,
    publisher: textOrNull(f.source),
    tickers,
  };
}
