import { z } from 'zod';
import { AppError } from '../../../errors/index.ts';
import { chunk } from '../../../pipeline/chunk.ts';
import {
  DEFAULT_LIMITS,
  type HttpLimits,
  type ProviderHttpOptions,
  providerClient,
  requestJson,
} from '../../../providers/http/client.ts';
import { fieldsOf } from '../../../providers/http/provider.ts';
import { perDay, perHour } from '../../../providers/http/token-bucket.ts';
import { TIINGO_BASE_URL } from '../../../providers/tiingo/index.ts';
import type { NewsItem, NewsProvider, NewsRequest, NewsResult } from '../../types.ts';
import { fetchBatches, instantOrNull, type NewsPage, statusOf, textOrNull } from '../http.ts';

/** Options for Tiingo News: the key, page size and pages per batch. */
export interface TiingoNewsOptions extends ProviderHttpOptions {
  apiKey?: string;
  /** Articles per request (Tiingo allows up to 1,000). */
  pageSize?: number;
  maxPages?: number;
}

// GET /tiingo/news: an array of { id, title, url, description, publishedDate, crawlDate, source,
// tickers (lower case), tags }. Read field by field.
const Articles = z.array(z.unknown());

const BATCH = 50;

/**
 * Tiingo News (`GET /tiingo/news`): a `tickers` filter per batch, offset paging. Plans without news
 * access answer 403; that is a non-retryable error saying so. Tickers come back lower case with
 * share classes dashed (`brk-b`) and are read as the asset symbols (`BRK.B`).
 */
export function createTiingoNewsProvider(opts: TiingoNewsOptions = {}): NewsProvider {
  const pageSize = opts.pageSize ?? 100;
  const limits: HttpLimits = {
    ...DEFAULT_LIMITS,
    // Tiingo's free Starter plan: 50 requests an hour, 1,000 a day, shared with end-of-day prices.
    rates: [perHour(50), perDay(1_000)],
    concurrency: 2,
  };
  const client = providerClient(
    {
      baseUrl: TIINGO_BASE_URL,
      headers: opts.apiKey ? { authorization: `Token ${opts.apiKey}` } : {},
      secrets: [opts.apiKey],
      limits,
    },
    opts,
  );

  async function page(symbols: string[], index: number, req: NewsRequest): Promise<NewsPage> {
    let rows: unknown[];
    try {
      rows = await requestJson(client, '/tiingo/news', {
        schema: Articles,
        query: {
          tickers: symbols.map((s) => s.replaceAll('.', '-').toLowerCase()).join(','),
          startDate: req.from,
          endDate: req.to,
          sortBy: 'publishedDate',
          limit: pageSize,
          offset: index * pageSize,
        },
      });
    } catch (err) {
      // A plan without news access gets 403 on every request: say so, and do not retry.
      if (err instanceof AppError && statusOf(err) === 403) {
        throw new AppError(
          'provider_rejected',
          `Tiingo News refused the request: this Tiingo plan has no access to the News API (${err.message})`,
          { details: err.options.details, retryable: false },
        );
      }
      throw err;
    }
    return { items: rows.flatMap((row) => article(row) ?? []), more: rows.length >= pageSize };
  }

  return {
    id: 'tiingo',
    description: `Tiingo News: US equities by ticker, offset paging (${client.baseUrl})`,
    assetTypes: ['equity'],
    fetchNews(req: NewsRequest): Promise<NewsResult> {
      const symbols = [...new Set(req.symbols.map((s) => s.toUpperCase()))];
      return fetchBatches(
        chunk(symbols, BATCH),
        opts.maxPages ?? 10,
        (batch, i) => page(batch, i, req),
        () => false,
      );
    },
  };
}

function article(record: unknown): NewsItem | null {
  const f = fieldsOf(record);
  const id = typeof f.id === 'number' || typeof f.id === 'string' ? String(f.id) : null;
  const url = textOrNull(f.url);
  const title = textOrNull(f.title);
  const publishedAt = instantOrNull(f.publishedDate);
  if (!id || !url || !title || !publishedAt) return null;
  const tickers = (Array.isArray(f.tickers) ? f.tickers : [])
    .flatMap((t) => textOrNull(t) ?? [])
    .map((t) => ({ symbol: t.toUpperCase().replaceAll('-', '.'), sentiment: null, matchScore: null }));
  return {
    source: 'tiingo',
    providerId: id,
    url,
    title,
    summary: textOrNull(f.description),
    body: null,
    publishedAt,
    dateOnly: false,
    publisher: textOrNull(f.source),
    tickers,
  };
}
