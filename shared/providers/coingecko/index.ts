import { z } from 'zod';
import { addDays } from '../../calendar/index.ts';
import type { AssetInfo } from '../../domain/market.ts';
import { AppError } from '../../errors/index.ts';
import { DEFAULT_LIMITS, type ProviderHttpOptions, providerClient, requestJson } from '../http/client.ts';
import {
  createHttpProvider,
  dateOf,
  epochSeconds,
  type HttpProvider,
  incomingBar,
} from '../http/provider.ts';
import { perMinute } from '../http/token-bucket.ts';
import type { BarsRequest, BarsResult, IncomingBar } from '../types.ts';
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

// GET /coins/{id}/market_chart/range: [epoch ms, value] pairs. Pairs are read one by one, so a bad
// value ("NaN", a null gap) rejects its day alone in the screen.
const Points = z.array(z.unknown());
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
    const prices: unknown[] = [];
    const volumes: unknown[] = [];
    // Windows run one after another: a symbol is one unit, and any failed window fails it whole.
    for (let start = req.from; start <= req.to; start = addDays(start, WINDOW_DAYS)) {
      const daysLeft = (epochSeconds(req.to) - epochSeconds(start)) / 86_400 + 1;
      const end = addDays(start, Math.min(WINDOW_DAYS, daysLeft) - 1);
      const chart = await requestJson(client, `/coins/${encodeURIComponent(id)}/market_chart/range`, {
        schema: MarketChart,
        query: { vs_currency: 'usd', from: epochSeconds(start), to: epochSeconds(addDays(end, 1)) - 1 },
      });
      prices.push(...chart.prices);
      volumes.push(...chart.total_volumes);
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

/** A [time, value] sample of market_chart; `value` as it came. */
interface Sample {
  t: number;
  value: unknown;
  raw: unknown;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * One bar per UTC day from price samples and rolling 24-hour volumes. A value that is not a number
 * (null included: a gap would leave the day's close or extremes unknown) makes the fields it feeds
 * unknown: it becomes the day's high and low (and its open or close when it is the first or last
 * sample), so the screen rejects that day alone, with the day's samples as its raw payload. A day
 * without a volume sample gets no volume and is rejected the same way; a sample whose time is not a
 * number becomes a bar of its own that the screen rejects for its date. A day whose samples repeat
 * a time (the series sent twice) gives two bars, one from the first and one from the last copy of
 * each sample, so the screen's duplicate rule decides: identical, one is kept; different, neither.
 */
export function dailyBars(
  symbol: string,
  prices: readonly unknown[],
  volumes: readonly unknown[],
): IncomingBar[] {
  const bars: IncomingBar[] = [];
  const days = new Map<string, { prices: Sample[]; volumes: Sample[] }>();
  const add = (points: readonly unknown[], kind: 'prices' | 'volumes') => {
    for (const raw of points) {
      const [t, value] = Array.isArray(raw) ? raw : [undefined, raw];
      if (!isNumber(t)) {
        const missing = {
          open: undefined,
          high: undefined,
          low: undefined,
          close: undefined,
          volume: undefined,
        };
        bars.push(incomingBar(symbol, dateOf(t), missing, { [kind]: [raw] }));
        continue;
      }
      const date = dateOf(t);
      const day = days.get(date) ?? { prices: [], volumes: [] };
      day[kind].push({ t, value, raw });
      days.set(date, day);
    }
  };
  add(prices, 'prices');
  add(volumes, 'volumes');
  for (const [date, day] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A day with volumes but no price is no bar: CoinGecko has no price for it.
    if (day.prices.length === 0) continue;
    const repeated = new Set(day.prices.map((s) => s.t)).size < day.prices.length;
    const copies = repeated ? (['first', 'last'] as const) : (['first'] as const);
    for (const copy of copies) {
      bars.push(dayBar(symbol, date, oneOfEach(day.prices, copy), oneOfEach(day.volumes, copy)));
    }
  }
  return bars;
}

/** Samples in time order with one per time: the first or the last copy of a repeated one. */
function oneOfEach(samples: readonly Sample[], copy: 'first' | 'last'): Sample[] {
  const byTime = new Map<number, Sample>();
  for (const s of samples) if (copy === 'last' || !byTime.has(s.t)) byTime.set(s.t, s);
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

function dayBar(
  symbol: string,
  date: string,
  prices: readonly Sample[],
  volumes: readonly Sample[],
): IncomingBar {
  const values = prices.map((s) => s.value);
  const badAt = values.findIndex((v) => !isNumber(v));
  const numbers = values as number[];
  const ohlc = {
    open: values[0],
    high: badAt === -1 ? Math.max(...numbers) : values[badAt],
    low: badAt === -1 ? Math.min(...numbers) : values[badAt],
    close: values.at(-1),
  };
  const raw = { prices: prices.map((s) => s.raw), total_volumes: volumes.map((s) => s.raw) };
  return incomingBar(symbol, date, { ...ohlc, volume: volumes.at(-1)?.value }, raw);
}
