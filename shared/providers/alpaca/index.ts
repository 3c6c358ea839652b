import { z } from 'zod';
import {
  DEFAULT_LIMITS,
  type HttpLimits,
  type ProviderHttpOptions,
  providerClient,
  requestJson,
} from '../http/client.ts';
import { createHttpProvider, dateOf, fieldsOf, type HttpProvider, incomingBar } from '../http/provider.ts';
import { perMinute } from '../http/token-bucket.ts';
import type { BarsRequest, BarsResult, IncomingBar } from '../types.ts';

/** Alpaca's market-data host (trading and data APIs live on different hosts). */
export const ALPACA_DATA_BASE_URL = 'https://data.alpaca.markets';

const LIMITS: HttpLimits = {
  ...DEFAULT_LIMITS,
  // 200 requests per minute: the Basic (free) market-data plan (docs.alpaca.markets, "About Market
  // Data API" / subscription plans); Algo Trader Plus allows 10,000.
  rates: [perMinute(200)],
  concurrency: 4,
};

// Alpaca documents no cap on `symbols`; 100 per request keeps the URL short for proxies, and the
// 10,000-bar page limit (`limit`'s maximum) still holds 100 days of 100 symbols per page.
const BATCH_SIZE = 100;
const PAGE_LIMIT = 10_000;

// GET /v2/stocks/bars: bars keyed by symbol (a symbol without bars is absent), one page at a time.
// Each bar is { t, o, h, l, c, v, n, vw }; bars are read field by field (not by schema), so one bad
// bar ("NaN", a missing field) is rejected alone by the screen instead of failing the page, which
// holds up to 100 symbols; a symbol whose entry is not a list fails alone.
const BarsPage = z.object({
  bars: z.record(z.string(), z.unknown()).nullable(),
  next_page_token: z.string().nullable().optional(),
});

/** Options for the Alpaca provider; `apiKey`/`apiSecret` are the APCA key id and secret. */
export interface AlpacaOptions extends ProviderHttpOptions {
  apiKey?: string;
  apiSecret?: string;
  /** `iex` (free plans) or `sip` (all US exchanges); unset: Alpaca picks by subscription. */
  feed?: string;
  batchSize?: number;
}

/**
 * US equities from Alpaca's historical bars endpoint: up to 100 symbols per request, following
 * `next_page_token`. Prices are split-adjusted (`adjustment=split`), like Polygon's default.
 */
export function createAlpacaProvider(opts: AlpacaOptions = {}): HttpProvider {
  const batchSize = opts.batchSize ?? BATCH_SIZE;
  const client = providerClient(
    {
      baseUrl: ALPACA_DATA_BASE_URL,
      headers: {
        ...(opts.apiKey ? { 'APCA-API-KEY-ID': opts.apiKey } : {}),
        ...(opts.apiSecret ? { 'APCA-API-SECRET-KEY': opts.apiSecret } : {}),
      },
      secrets: [opts.apiKey, opts.apiSecret],
      limits: LIMITS,
    },
    opts,
  );

  async function fetchBatch(symbols: string[], req: BarsRequest): Promise<BarsResult> {
    const bars: IncomingBar[] = [];
    const broken = new Map<string, string>();
    let pageToken: string | undefined;
    // Pages split the series anywhere, even inside one symbol's bars: a failed page throws, and the
    // whole batch fails rather than leave some symbols half-served.
    do {
      const page = await requestJson(client, '/v2/stocks/bars', {
        schema: BarsPage,
        query: {
          symbols: symbols.join(','),
          timeframe: '1Day',
          // Daily bars are stamped at midnight New York time (04:00 or 05:00 UTC) of their session.
          start: `${req.from}T00:00:00Z`,
          end: `${req.to}T23:59:59Z`,
          adjustment: 'split',
          sort: 'asc',
          limit: PAGE_LIMIT,
          feed: opts.feed,
          page_token: pageToken,
        },
      });
      for (const [symbol, list] of Object.entries(page.bars ?? {})) {
        if (!Array.isArray(list)) {
          broken.set(
            symbol,
            `Alpaca sent ${symbol}'s bars as ${JSON.stringify(list) ?? 'nothing'}, not a list`,
          );
          continue;
        }
        for (const record of list) {
          const b = fieldsOf(record);
          const values = { open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v };
          bars.push(incomingBar(symbol, dateOf(b.t), values, record));
        }
      }
      pageToken = page.next_page_token ?? undefined;
    } while (pageToken);
    return { bars, errors: [...broken].map(([symbol, error]) => ({ symbol, error, retryable: false })) };
  }

  return createHttpProvider({
    id: 'alpaca',
    description: `Alpaca market data: US equities, split-adjusted daily bars, ${batchSize} symbols per request (${client.baseUrl})`,
    capabilities: {
      assetTypes: ['equity'],
      batchSize,
      groupedDaily: false,
    },
    fetchBatch,
  });
}
