import { applyDataFaults, type DataFault } from './data-faults.ts';
import { FIXTURE } from './fixtures.ts';
import { type FakeProviderServer, type FakeRequest, param, startFakeServer } from './server.ts';

// A fake Tiingo end-of-day API (tiingo.com/documentation/end-of-day): GET
// /tiingo/daily/{ticker}/prices?startDate&endDate returns one object per session, raw and adjusted
// prices side by side, `date` at midnight UTC.

/** Options of the fake: the token it accepts, bad data it serves. */
export interface FakeTiingoOptions {
  apiKey?: string;
  dataFaults?: readonly DataFault[];
}

const PRICES = /^\/tiingo\/daily\/([^/]+)\/prices$/;
// Adjusted prices carry the dividends paid since: a factor below one, as Tiingo's adj* fields do.
const DIVIDEND_FACTOR = 0.9712;

/** Starts the fake Tiingo API. */
export function startFakeTiingo(opts: FakeTiingoOptions = {}): Promise<FakeProviderServer> {
  return startFakeServer({
    errorBody: (status) =>
      status === 429
        ? { detail: 'Error: You have run over your hourly request allocation.' }
        : { detail: status === 401 ? 'Invalid token.' : 'A server error occurred.' },
    reply(req: FakeRequest) {
      if (opts.apiKey && req.headers.authorization !== `Token ${opts.apiKey}`) {
        return { status: 401, body: { detail: 'Invalid token.' } };
      }
      const match = PRICES.exec(req.path);
      if (!match) return { status: 404, body: { detail: 'Not found.' } };
      const ticker = decodeURIComponent(match[1]!).toUpperCase();
      const bars = FIXTURE.equity.get(ticker);
      if (!bars) return { status: 404, body: { detail: `Error: Ticker '${ticker}' not found` } };
      const from = param(req, 'startDate');
      const to = param(req, 'endDate');
      // A value that is not a number is passed on as it is, adjusted or not.
      const adj = (x: unknown) =>
        typeof x === 'number' ? Math.round(x * DIVIDEND_FACTOR * 10_000) / 10_000 : x;
      return {
        body: applyDataFaults(
          bars.filter((b) => b.date >= from && b.date <= to),
          opts.dataFaults,
        ).map((b) => ({
          date: `${b.date}T00:00:00.000Z`,
          close: b.close,
          high: b.high,
          low: b.low,
          open: b.open,
          volume: b.volume,
          adjClose: adj(b.close),
          adjHigh: adj(b.high),
          adjLow: adj(b.low),
          adjOpen: adj(b.open),
          adjVolume: b.volume,
          divCash: 0.0,
          splitFactor: 1.0,
        })),
      };
    },
  });
}
