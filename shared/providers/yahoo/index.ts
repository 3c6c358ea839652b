import { z } from 'zod';
import { addDays } from '../../calendar/index.ts';
import type { AssetType } from '../../domain/market.ts';
import {
  DEFAULT_LIMITS,
  type HttpLimits,
  type ProviderHttpOptions,
  providerClient,
  requestJson,
} from '../http/client.ts';
import {
  createHttpProvider,
  dateOf,
  epochSeconds,
  type HttpProvider,
  incomingBar,
} from '../http/provider.ts';
import { perMinute } from '../http/token-bucket.ts';
import type { BarsRequest, BarsResult, IncomingBar } from '../types.ts';

/** Yahoo Finance's chart host (unofficial: no key, no published terms for automated use). */
export const YAHOO_BASE_URL = 'https://query1.finance.yahoo.com';

const LIMITS: HttpLimits = {
  ...DEFAULT_LIMITS,
  // Yahoo publishes no limit for this endpoint and answers bursts with 429: 30 requests per minute
  // with two in flight is a deliberately conservative guess, not a documented number.
  rates: [perMinute(30)],
  concurrency: 2,
};

// Values are taken as they come: a bad one ("NaN", null) rejects that session alone in the screen.
const Series = z.array(z.unknown());

// GET /v8/finance/chart/{symbol}: parallel arrays, a null wherever Yahoo has no value for a session
// (halts, the unfinished current day). An empty range has no `timestamp` and an empty quote.
const Chart = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z.object({ gmtoffset: z.number().optional() }),
          timestamp: Series.optional(),
          indicators: z.object({
            quote: z.array(
              z.object({
                open: Series.optional(),
                high: Series.optional(),
                low: Series.optional(),
                close: Series.optional(),
                volume: Series.optional(),
              }),
            ),
          }),
        }),
      )
      .nullable(),
    error: z.object({ code: z.string(), description: z.string() }).nullable(),
  }),
});

/** Options for the Yahoo provider. */
export interface YahooOptions extends ProviderHttpOptions {}

/** Yahoo's spelling of a symbol: BRK.B is BRK-B, and a coin is quoted against the dollar (BTC-USD). */
function yahooSymbol(symbol: string, assetType: AssetType): string {
  return assetType === 'crypto' ? `${symbol}-USD` : symbol.replaceAll('.', '-');
}

/** Daily bars from Yahoo Finance's chart API, one symbol per request: equities and, as BTC-USD etc., crypto. */
export function createYahooProvider(opts: YahooOptions = {}): HttpProvider {
  const client = providerClient(
    {
      baseUrl: YAHOO_BASE_URL,
      // Yahoo throttles requests that carry a bare library user agent harder than browsers.
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; Stratos market-signal pipeline)' },
      limits: LIMITS,
    },
    opts,
  );

  async function fetchBatch([symbol]: string[], req: BarsRequest): Promise<BarsResult> {
    // An unknown symbol is a 404 with chart.error ("No data found, symbol may be delisted").
    const body = await requestJson(
      client,
      `/v8/finance/chart/${encodeURIComponent(yahooSymbol(symbol!, req.assetType))}`,
      {
        schema: Chart,
        query: {
          period1: epochSeconds(req.from),
          // period2 is exclusive: midnight after the last requested day.
          period2: epochSeconds(addDays(req.to, 1)),
          interval: '1d',
          includePrePost: 'false',
        },
      },
    );
    const result = body.chart.result?.[0];
    if (!result) {
      return {
        bars: [],
        errors: [{ symbol: symbol!, error: body.chart.error?.description ?? 'no chart result' }],
      };
    }
    const quote = result.indicators.quote[0] ?? {};
    // Timestamps are the session's open; shifted by the exchange's UTC offset they fall on its local date.
    const offsetMs = (result.meta.gmtoffset ?? 0) * 1000;
    // A session with a value missing (null) is handed on like any other: the screen rejects it into
    // the ledger, and the next run's repair window asks again.
    const bars: IncomingBar[] = (result.timestamp ?? []).map((ts, i) => {
      const [open, high, low, close, volume] = [
        quote.open,
        quote.high,
        quote.low,
        quote.close,
        quote.volume,
      ].map((series) => series?.[i]);
      const date = dateOf(typeof ts === 'number' ? ts * 1000 : ts, offsetMs);
      return incomingBar(symbol!, date, { open, high, low, close, volume }, { timestamp: ts });
    });
    return { bars, errors: [] };
  }

  return createHttpProvider({
    id: 'yahoo',
    description: `Yahoo Finance chart API (unofficial): US equities and crypto (as BTC-USD), one symbol per request (${client.baseUrl})`,
    capabilities: { assetTypes: ['equity', 'crypto'], batchSize: 1, groupedDaily: false },
    fetchBatch,
  });
}
