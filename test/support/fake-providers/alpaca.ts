import { applyDataFaults, type DataFault } from './data-faults.ts';
import { FIXTURE } from './fixtures.ts';
import { type FakeProviderServer, type FakeRequest, param, startFakeServer } from './server.ts';

// A fake Alpaca market-data API: GET /v2/stocks/bars as documented (docs.alpaca.markets, "Historical
// bars"): { bars: { SYMBOL: [{ t, o, h, l, c, v, n, vw }] }, next_page_token, currency }. A page holds
// at most `limit` bars across all symbols, symbols in alphabetical order, so a page can end in the
// middle of one symbol's series.

/** Options of the fake: the credentials it accepts, its page size, symbols it lacks, bad data it serves. */
export interface FakeAlpacaOptions {
  keyId?: string;
  secret?: string;
  pageSize?: number;
  missing?: readonly string[];
  dataFaults?: readonly DataFault[];
}

const unauthorized = { message: 'unauthorized.' };

/** Starts the fake Alpaca data API. */
export function startFakeAlpaca(opts: FakeAlpacaOptions = {}): Promise<FakeProviderServer> {
  return startFakeServer({
    errorBody: (status) =>
      status === 429
        ? { message: 'too many requests.' }
        : status === 401
          ? unauthorized
          : { code: 50010000, message: 'internal server error occurred' },
    reply(req: FakeRequest) {
      if (req.path !== '/v2/stocks/bars') return { status: 404, body: { message: 'Not Found' } };
      if (
        opts.keyId &&
        (req.headers['apca-api-key-id'] !== opts.keyId || req.headers['apca-api-secret-key'] !== opts.secret)
      ) {
        return { status: 401, body: unauthorized };
      }
      if (param(req, 'timeframe') !== '1Day')
        return { status: 422, body: { message: 'fake serves 1Day only' } };
      const from = param(req, 'start').slice(0, 10);
      const to = param(req, 'end').slice(0, 10);
      const symbols = param(req, 'symbols').split(',').sort();
      const all = symbols
        .filter((s) => !opts.missing?.includes(s))
        .flatMap((s) =>
          applyDataFaults(
            (FIXTURE.equity.get(s) ?? []).filter((b) => b.date >= from && b.date <= to),
            opts.dataFaults,
          ),
        );
      const offset = req.query.page_token ? Number(atob(req.query.page_token)) : 0;
      const size = Math.min(Number(req.query.limit ?? 1000), opts.pageSize ?? Number.POSITIVE_INFINITY);
      const page = all.slice(offset, offset + size);
      const bars: Record<string, unknown[]> = {};
      for (const b of page) {
        const list = bars[b.symbol] ?? [];
        bars[b.symbol] = list;
        list.push({
          // Midnight New York (EST in January) of the session.
          t: `${b.date}T05:00:00Z`,
          o: b.open,
          h: b.high,
          l: b.low,
          c: b.close,
          v: b.volume,
          n: Math.round(Number(b.volume) / 95),
          vw: Math.round(((Number(b.high) + Number(b.low) + Number(b.close)) / 3) * 10_000) / 10_000,
        });
      }
      const next = offset + size < all.length ? btoa(String(offset + size)) : null;
      return { body: { bars, next_page_token: next, currency: 'USD' } };
    },
  });
}
