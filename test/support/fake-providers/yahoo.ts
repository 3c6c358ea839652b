import type { AssetType } from '../../../shared/domain/market.ts';
import { applyDataFaults, type DataFault } from './data-faults.ts';
import { FIXTURE } from './fixtures.ts';
import { type FakeProviderServer, type FakeRequest, param, startFakeServer } from './server.ts';

// A fake Yahoo Finance chart API: GET /v8/finance/chart/{symbol}?period1&period2&interval=1d, the
// shape query1.finance.yahoo.com returns: chart.result[0] with meta, timestamp (session open, epoch
// s) and indicators.quote[0] as parallel arrays in which a missing value is null.

type QuoteField = 'open' | 'high' | 'low' | 'close' | 'volume';

/** Options of the fake: values it nulls out, as Yahoo does on some sessions, and other bad data it serves. */
export interface FakeYahooOptions {
  nulls?: readonly { symbol: string; date: string; fields: readonly QuoteField[] }[];
  dataFaults?: readonly DataFault[];
}

const CHART = /^\/v8\/finance\/chart\/([^/]+)$/;
const FIELDS: QuoteField[] = ['open', 'high', 'low', 'close', 'volume'];

function resolve(symbol: string): { assetType: AssetType; symbol: string } | null {
  if (symbol.endsWith('-USD')) {
    const coin = symbol.slice(0, -4);
    return FIXTURE.crypto.has(coin) ? { assetType: 'crypto', symbol: coin } : null;
  }
  const ticker = symbol.replaceAll('-', '.');
  return FIXTURE.equity.has(ticker) ? { assetType: 'equity', symbol: ticker } : null;
}

const notFound = {
  chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
};

/** Starts the fake Yahoo chart API. */
export function startFakeYahoo(opts: FakeYahooOptions = {}): Promise<FakeProviderServer> {
  return startFakeServer({
    errorBody: (status) =>
      status === 429
        ? 'Too Many Requests'
        : {
            chart: { result: null, error: { code: 'Internal Server Error', description: `HTTP ${status}` } },
          },
    reply(req: FakeRequest) {
      const match = CHART.exec(req.path);
      if (!match) return { status: 404, body: notFound };
      const yahooSymbol = decodeURIComponent(match[1]!);
      const found = resolve(yahooSymbol);
      if (!found) return { status: 404, body: notFound };
      const from = Number(param(req, 'period1')) * 1000;
      const to = Number(param(req, 'period2')) * 1000;
      const crypto = found.assetType === 'crypto';
      // Equities: the NYSE open, 09:30 New York (14:30 UTC in January), offset -5 h. Crypto: 00:00 UTC.
      const gmtoffset = crypto ? 0 : -18_000;
      const openAt = (b: { date: string }) =>
        Date.parse(`${b.date}T${crypto ? '00:00' : '14:30'}:00Z`) / 1000;
      const bars = applyDataFaults(
        (FIXTURE[found.assetType].get(found.symbol) ?? []).filter(
          (b) => openAt(b) * 1000 >= from && openAt(b) * 1000 < to,
        ),
        opts.dataFaults,
      );
      const quote = Object.fromEntries(
        FIELDS.map((f) => [
          f,
          bars.map((b) =>
            opts.nulls?.some((n) => n.symbol === found.symbol && n.date === b.date && n.fields.includes(f))
              ? null
              : b[f],
          ),
        ]),
      );
      const last = bars.at(-1);
      const meta = {
        currency: 'USD',
        symbol: yahooSymbol,
        exchangeName: crypto ? 'CCC' : 'NMS',
        fullExchangeName: crypto ? 'CCC' : 'NasdaqGS',
        instrumentType: crypto ? 'CRYPTOCURRENCY' : 'EQUITY',
        firstTradeDate: crypto ? 1410912000 : 345479400,
        regularMarketTime: last ? openAt(last) + 23_400 : Math.floor(to / 1000),
        hasPrePostMarketData: !crypto,
        gmtoffset,
        timezone: crypto ? 'UTC' : 'EST',
        exchangeTimezoneName: crypto ? 'UTC' : 'America/New_York',
        regularMarketPrice: last?.close ?? null,
        chartPreviousClose: bars[0]?.open ?? null,
        priceHint: 2,
        dataGranularity: '1d',
        range: '',
        validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
      };
      // An empty range has neither timestamps nor quote arrays, only an empty quote object.
      const result = bars.length
        ? {
            meta,
            timestamp: bars.map(openAt),
            indicators: { quote: [quote], adjclose: [{ adjclose: bars.map((b) => b.close) }] },
          }
        : { meta, indicators: { quote: [{}] } };
      return { body: { chart: { result: [result], error: null } } };
    },
  });
}
