import { z } from 'zod';
import { tradingDays } from '../../calendar/index.ts';
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
  fieldsOf,
  type HttpProvider,
  incomingBar,
  settle,
} from '../http/provider.ts';
import { perMinute } from '../http/token-bucket.ts';
import type { BarsRequest, BarsResult, IncomingBar } from '../types.ts';

/** Polygon.io's REST host. */
export const POLYGON_BASE_URL = 'https://api.polygon.io';

const LIMITS: HttpLimits = {
  ...DEFAULT_LIMITS,
  // 5 API calls per minute: the free Stocks Basic plan (polygon.io/pricing); paid plans are unlimited.
  rates: [perMinute(5)],
  concurrency: 2,
};

// Aggregates as both endpoints return them: { o, h, l, c, v, t, vw, n } (grouped daily adds the
// ticker `T`); `t` is epoch ms inside the bar's US trading day (midnight New York for ticker ranges,
// the close for grouped daily), so its UTC date is the session. They are read field by field, not
// by schema, so one bad aggregate is rejected alone by the screen instead of failing the market's day.

// GET /v2/aggs/grouped/locale/us/market/stocks/{date}: every ticker's bar for one day.
// A weekend or holiday answers resultsCount 0 and no `results`.
const Grouped = z.object({
  status: z.string(),
  results: z.array(z.unknown()).optional(),
});

// GET /v2/aggs/ticker/{ticker}/range/1/day/{from}/{to}: one ticker's bars, `next_url` past `limit`.
const Range = z.object({
  status: z.string(),
  results: z.array(z.unknown()).optional(),
  next_url: z.string().optional(),
});

/** Grouped days are kept this long, so the jobs of one run share each day's single request. */
const GROUPED_TTL_MS = 10 * 60_000;
// Enough sessions for the default 30-day repair window (at most 22); a whole-market day is ~11k bars.
const GROUPED_CACHE_DAYS = 23;

/** Options for the Polygon provider. */
export interface PolygonOptions extends ProviderHttpOptions {
  apiKey?: string;
}

/**
 * US equities from Polygon.io, split-adjusted (`adjusted=true`). When a request spans fewer trading
 * days than it has symbols, grouped daily (a whole market's day per call) is cheaper; otherwise
 * (backfills) each ticker's range is fetched, following `next_url`.
 */
export function createPolygonProvider(opts: PolygonOptions = {}): HttpProvider {
  const client = providerClient(
    {
      baseUrl: POLYGON_BASE_URL,
      // A header rather than ?apiKey=, so the key is in no URL (next_url included) and no log line.
      headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
      secrets: [opts.apiKey],
      limits: LIMITS,
    },
    opts,
  );
  const groupedCache = new Map<string, { at: number; bars: Promise<Map<string, IncomingBar[]>> }>();

  function groupedDay(date: string): Promise<Map<string, IncomingBar[]>> {
    const now = client.clock.now();
    const hit = groupedCache.get(date);
    if (hit && now - hit.at < GROUPED_TTL_MS) return hit.bars;
    const bars = requestJson(client, `/v2/aggs/grouped/locale/us/market/stocks/${date}`, {
      schema: Grouped,
      query: { adjusted: 'true' },
    }).then((day) => {
      // Every aggregate of a ticker is kept: a ticker listed twice reaches the screen twice.
      const byTicker = new Map<string, IncomingBar[]>();
      for (const record of day.results ?? []) {
        const { T } = fieldsOf(record);
        // An aggregate without a ticker belongs to no symbol anyone can ask for.
        if (typeof T === 'string') byTicker.set(T, [...(byTicker.get(T) ?? []), toBar(T, record)]);
      }
      return byTicker;
    });
    // Re-inserted, so the oldest-fetched days are the ones evicted.
    groupedCache.delete(date);
    groupedCache.set(date, { at: now, bars });
    bars.catch(() => {
      // Failures are not kept: the next job asks again.
      if (groupedCache.get(date)?.bars === bars) groupedCache.delete(date);
    });
    for (const key of [...groupedCache.keys()].slice(
      0,
      Math.max(0, groupedCache.size - GROUPED_CACHE_DAYS),
    )) {
      groupedCache.delete(key);
    }
    return bars;
  }

  async function viaGrouped(symbols: string[], days: string[]): Promise<BarsResult> {
    // One failed day fails every symbol: a gap in the middle of the window is worse than a fallback.
    const perDay = await Promise.all(days.map(groupedDay));
    const bars = perDay.flatMap((byTicker) => symbols.flatMap((s) => byTicker.get(s) ?? []));
    return { bars, errors: [] };
  }

  async function tickerRange(symbol: string, req: BarsRequest): Promise<BarsResult> {
    const bars: IncomingBar[] = [];
    let path: string | undefined =
      `/v2/aggs/ticker/${encodeURIComponent(symbol)}/range/1/day/${req.from}/${req.to}`;
    let query: Record<string, string | number> | undefined = { adjusted: 'true', sort: 'asc', limit: 50_000 };
    while (path) {
      const page: z.infer<typeof Range> = await requestJson(client, path, {
        schema: Range,
        ...(query ? { query } : {}),
      });
      for (const a of page.results ?? []) bars.push(toBar(symbol, a));
      // next_url is absolute on Polygon's own host; its path and cursor are replayed on ours, so a
      // configured proxy (or test server) stays in the loop and the key goes nowhere else.
      const next = page.next_url ? new URL(page.next_url) : undefined;
      path = next ? next.pathname + next.search : undefined;
      query = undefined;
    }
    return { bars, errors: [] };
  }

  async function fetchBatch(symbols: string[], req: BarsRequest): Promise<BarsResult> {
    const days = tradingDays('equity', req.from, req.to);
    if (days.length === 0) return { bars: [], errors: [] };
    if (days.length <= symbols.length) return viaGrouped(symbols, days);
    const results = await Promise.all(symbols.map((s) => settle([s], () => tickerRange(s, req))));
    return { bars: results.flatMap((r) => r.bars), errors: results.flatMap((r) => r.errors) };
  }

  return createHttpProvider({
    id: 'polygon',
    description: `Polygon.io: US equities, split-adjusted daily bars, grouped daily for whole-market days (${client.baseUrl})`,
    capabilities: { assetTypes: ['equity'], batchSize: 1, groupedDaily: true },
    fetchBatch,
  });
}

function toBar(symbol: string, record: unknown): IncomingBar {
  const a = fieldsOf(record);
  return incomingBar(
    symbol,
    dateOf(a.t),
    { open: a.o, high: a.h, low: a.l, close: a.c, volume: a.v },
    record,
  );
}
