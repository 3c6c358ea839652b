import { z } from 'zod';
import { addDays } from '../../calendar/index.ts';
import type { AssetInfo, RawBar } from '../../domain/market.ts';
import { AppError } from '../../errors/index.ts';
import { DEFAULT_LIMITS, type ProviderHttpOptions, providerClient, requestJson } from '../http/client.ts';
import { createHttpProvider, epochSeconds, type HttpProvider, utcDate } from '../http/provider.ts';
import { perMinute } from '../http/token-bucket.ts';
import type { BarsRequest, BarsResult } from '../types.ts';
import { COINS } from './coins.ts';

/** CoinGecko's public (keyless and Demo-key) API root. */
export const COINGECKO_BASE_URL = 'https://api.coingecko.com/api/v3';

// The Demo plan allows about 30 calls per minute and 10,000 per month (docs.coingecko.com, "Errors
// & Rate Limits"; coingecko.com/en/api/pricing). Keyless calls share a lower limit that moves
// with global traffic, so without a key we keep to 10.
const DEMO_RATE = perMinute(30);
const KEYLESS_RATE = perMinute(10);

/**
 * Days per market_chart/range call. CoinGecko picks the granularity from the span: up to 90 days
 * gives hourly prices, longer spans one price a day at 00:00 UTC (docs: "Coin Historical Chart
 * Data within Time Range by ID").
 */
const WINDOW_DAYS = 90;

// GET /coins/{id}/market_chart/range: [epoch ms, value] pairs; a value can be null on a gap.
const Points = z.array(z.tuple([z.number(), z.number().nullable()]));
const MarketChart = z.object({ prices: Points, total_volumes: Points });

// GET /coins/list: every coin's id, symbol (lower case) and name.
const CoinsList = z.array(z.object({ id: z.string(), symbol: z.string(), name: z.string() }));

/** Options for the CoinGecko provider; `apiKey` is a Demo-plan key (sent as x-cg-demo-api-key). */
export interface CoinGeckoOptions extends ProviderHttpOptions {
  apiKey?: string;
}

/**
 * Crypto daily bars from CoinGecko, priced in USD, volume in USD.
 *
 * Why market_chart/range and not /ohlc: /ohlc has no volume, takes only "the last N days" (no
 * historical range), and for spans over 30 days returns 4-day candles; its daily candles are for
 * paid plans. market_chart/range takes any range and has volume, but at daily granularity only one
 * price per day (no high or low). So ranges are asked in windows of at most 90 days, where prices
 * come hourly, and each UTC day's bar is built from them: open = first price, close = last,
 * high/low = the extremes of the hourly samples (so intraday spikes between samples are missed).
 * total_volumes is a rolling 24-hour volume at each sample; the day's last sample is its volume.
 */
export function createCoinGeckoProvider(opts: CoinGeckoOptions = {}): HttpProvider {
  const client = providerClient(
    {
      baseUrl: COINGECKO_BASE_URL,
      headers: opts.apiKey ? { 'x-cg-demo-api-key': opts.apiKey } : {},
      secrets: [opts.apiKey],
      limits: { ...DEFAULT_LIMITS, rates: [opts.apiKey ? DEMO_RATE : KEYLESS_RATE], concurrency: 2 },
    },
    opts,
  );
  const pinned = new Map(COINS.map(([symbol, id]) => [symbol, id]));
  let listing: Promise<Map<string, string[]>> | null = null;

  async function coinId(symbol: string): Promise<string> {
    const id = pinned.get(symbol);
    if (id) return id;
    listing ??= requestJson(client, '/coins/list', { schema: CoinsList }).then((coins) => {
      const bySymbol = new Map<string, string[]>();
      for (const c of coins) {
        const key = c.symbol.toUpperCase();
        bySymbol.set(key, [...(bySymbol.get(key) ?? []), c.id]);
      }
      return bySymbol;
    });
    // A failed listing is not kept: the next request asks again.
    const pending = listing;
    const ids = await pending.catch((err) => {
      if (listing === pending) listing = null;
      throw err;
    });
    const matches = ids.get(symbol) ?? [];
    if (matches.length === 1) return matches[0]!;
    throw new AppError(
      'provider_rejected',
      matches.length === 0
        ? `CoinGecko lists no coin with the symbol ${symbol}`
        : `${symbol} is ambiguous on CoinGecko: ${matches.length} coins use it (${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', …' : ''}); pin one in coingecko/coins.ts`,
    );
  }

  async function fetchBatch([symbol]: string[], req: BarsRequest): Promise<BarsResult> {
    const id = await coinId(symbol!);
    const prices: [number, number][] = [];
    const volumes: [number, number][] = [];
    // Windows run one after another: a symbol is one unit, and any failed window fails it whole.
    for (let start = req.from; start <= req.to; start = addDays(start, WINDOW_DAYS)) {
      const daysLeft = (epochSeconds(req.to) - epochSeconds(start)) / 86_400 + 1;
      const end = addDays(start, Math.min(WINDOW_DAYS, daysLeft) - 1);
      const chart = await requestJson(client, `/coins/${encodeURIComponent(id)}/market_chart/range`, {
        schema: MarketChart,
        query: { vs_currency: 'usd', from: epochSeconds(start), to: epochSeconds(addDays(end, 1)) - 1 },
      });
      for (const [t, p] of chart.prices) if (p !== null) prices.push([t, p]);
      for (const [t, v] of chart.total_volumes) if (v !== null) volumes.push([t, v]);
    }
    return { bars: dailyBars(symbol!, prices, volumes), errors: [] };
  }

  return createHttpProvider({
    id: 'coingecko',
    description: `CoinGecko: crypto in USD, daily bars built from hourly market_chart prices (${opts.apiKey ? 'Demo key' : 'keyless'}, ${client.baseUrl})`,
    capabilities: { assetTypes: ['crypto'], batchSize: 1, groupedDaily: false },
    fetchBatch,
    async listAssets(assetType): Promise<AssetInfo[]> {
      if (assetType !== 'crypto') return [];
      return COINS.map(([symbol, , name]) => ({ symbol, assetType, name }));
    },
  });
}

/** One bar per UTC day from price samples and rolling 24-hour volumes; days without a volume are left out. */
export function dailyBars(
  symbol: string,
  prices: readonly (readonly [number, number])[],
  volumes: readonly (readonly [number, number])[],
): RawBar[] {
  const days = new Map<string, RawBar>();
  for (const [t, price] of [...prices].sort((a, b) => a[0] - b[0])) {
    const date = utcDate(t);
    const bar = days.get(date);
    if (!bar) {
      days.set(date, {
        symbol,
        date,
        open: price,
        high: price,
        low: price,
        close: price,
        volume: Number.NaN,
      });
    } else {
      bar.high = Math.max(bar.high, price);
      bar.low = Math.min(bar.low, price);
      bar.close = price;
    }
  }
  for (const [t, volume] of [...volumes].sort((a, b) => a[0] - b[0])) {
    const bar = days.get(utcDate(t));
    if (bar) bar.volume = volume;
  }
  return [...days.values()].filter((b) => !Number.isNaN(b.volume));
}
