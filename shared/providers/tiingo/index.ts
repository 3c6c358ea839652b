import { z } from 'zod';
import {
  DEFAULT_LIMITS,
  type HttpLimits,
  type ProviderHttpOptions,
  providerClient,
  requestJson,
} from '../http/client.ts';
import { createHttpProvider, dateOf, fieldsOf, type HttpProvider, incomingBar } from '../http/provider.ts';
import { perDay, perHour } from '../http/token-bucket.ts';
import type { BarsRequest, BarsResult } from '../types.ts';

/** Tiingo's REST host. */
export const TIINGO_BASE_URL = 'https://api.tiingo.com';

const LIMITS: HttpLimits = {
  ...DEFAULT_LIMITS,
  // The free Starter plan: 50 requests per hour and 1,000 per day (tiingo.com/about/pricing).
  rates: [perHour(50), perDay(1_000)],
  concurrency: 2,
};

// GET /tiingo/daily/{ticker}/prices: one object per session, `date` at 00:00 UTC of that session.
// Raw fields are used: within the repair window they equal split-adjusted prices (no split can
// come after "today"), while adj* also folds in dividends, which no other provider here does.
// Rows are read field by field, so one bad row is rejected alone by the screen.
const Prices = z.array(z.unknown());

/** Options for the Tiingo provider. */
export interface TiingoOptions extends ProviderHttpOptions {
  apiKey?: string;
}

/** US equities (and ETFs) from Tiingo's end-of-day endpoint, one ticker per request. */
export function createTiingoProvider(opts: TiingoOptions = {}): HttpProvider {
  const client = providerClient(
    {
      baseUrl: TIINGO_BASE_URL,
      headers: opts.apiKey ? { authorization: `Token ${opts.apiKey}` } : {},
      secrets: [opts.apiKey],
      limits: LIMITS,
    },
    opts,
  );

  async function fetchBatch([symbol]: string[], req: BarsRequest): Promise<BarsResult> {
    // Tiingo spells share classes with a dash (BRK-B).
    const ticker = encodeURIComponent(symbol!.replaceAll('.', '-'));
    // An unknown ticker is a 404 ("Error: Ticker 'XYZ' not found"), which settles as this symbol's error.
    const rows = await requestJson(client, `/tiingo/daily/${ticker}/prices`, {
      schema: Prices,
      query: { startDate: req.from, endDate: req.to, resampleFreq: 'daily', format: 'json' },
    });
    const bars = rows.map((row) => {
      const { date, open, high, low, close, volume } = fieldsOf(row);
      return incomingBar(symbol!, dateOf(date), { open, high, low, close, volume }, row);
    });
    return { bars, errors: [] };
  }

  return createHttpProvider({
    id: 'tiingo',
    description: `Tiingo end-of-day: US equities and ETFs, one ticker per request (${client.baseUrl})`,
    capabilities: { assetTypes: ['equity'], batchSize: 1, groupedDaily: false },
    fetchBatch,
  });
}
