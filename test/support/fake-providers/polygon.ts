import { applyDataFaults, type DataFault, type FakeBar } from './data-faults.ts';
import { FIXTURE } from './fixtures.ts';
import { type FakeProviderServer, type FakeRequest, startFakeServer } from './server.ts';

// A fake Polygon.io REST API (polygon.io/docs/stocks): grouped daily
// (/v2/aggs/grouped/locale/us/market/stocks/{date}) and per-ticker aggregates
// (/v2/aggs/ticker/{T}/range/1/day/{from}/{to}) with `next_url` pagination on Polygon's own host,
// as the real API returns it.

/** Options of the fake: the key it accepts, its page size for ranges, tickers it lacks, bad data it serves. */
export interface FakePolygonOptions {
  apiKey?: string;
  pageSize?: number;
  missing?: readonly string[];
  dataFaults?: readonly DataFault[];
}

const GROUPED = /^\/v2\/aggs\/grouped\/locale\/us\/market\/stocks\/(\d{4}-\d{2}-\d{2})$/;
const RANGE = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/1\/day\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/;

let requestCounter = 0;
const requestId = () => `a1b2c3d4e5f6${(requestCounter++).toString(16).padStart(8, '0')}`;

/** Starts the fake Polygon API. */
export function startFakePolygon(opts: FakePolygonOptions = {}): Promise<FakeProviderServer> {
  const tickers = () => [...FIXTURE.equity.keys()].filter((t) => !opts.missing?.includes(t));
  const agg = (b: FakeBar, t: number) => ({
    v: b.volume,
    vw: Math.round(((Number(b.high) + Number(b.low) + Number(b.close)) / 3) * 10_000) / 10_000,
    o: b.open,
    c: b.close,
    h: b.high,
    l: b.low,
    t,
    n: Math.round(Number(b.volume) / 95),
  });

  return startFakeServer({
    errorBody: (status) => ({
      status: 'ERROR',
      request_id: requestId(),
      error:
        status === 429
          ? "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing"
          : status === 401
            ? 'Unknown API Key'
            : 'Internal server error',
    }),
    reply(req: FakeRequest) {
      if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        return { status: 401, body: { status: 'ERROR', request_id: requestId(), error: 'Unknown API Key' } };
      }
      const grouped = GROUPED.exec(req.path);
      if (grouped) {
        const date = grouped[1]!;
        // The grouped bar's t is the session's close: 16:00 New York, 21:00 UTC in January.
        const results = tickers().flatMap((T) =>
          applyDataFaults(
            (FIXTURE.equity.get(T) ?? []).filter((b) => b.date === date),
            opts.dataFaults,
          ).map((b) => ({ T, ...agg(b, Date.parse(`${b.date}T21:00:00Z`)) })),
        );
        const base = { queryCount: results.length, resultsCount: results.length, adjusted: true };
        // A closed market's day has no `results` key at all.
        return {
          body: results.length
            ? { ...base, results, status: 'OK', request_id: requestId() }
            : { ...base, status: 'OK', request_id: requestId() },
        };
      }
      const range = RANGE.exec(req.path);
      if (range) {
        const [, ticker, from, to] = range as unknown as [string, string, string, string];
        const all = tickers().includes(ticker)
          ? applyDataFaults(
              (FIXTURE.equity.get(ticker) ?? []).filter((b) => b.date >= from && b.date <= to),
              opts.dataFaults,
            )
          : [];
        const offset = req.query.cursor ? Number(atob(req.query.cursor)) : 0;
        const size = Math.min(Number(req.query.limit ?? 5000), opts.pageSize ?? Number.POSITIVE_INFINITY);
        // Per-ticker bars are stamped at the session's start: midnight New York, 05:00 UTC in January.
        const results = all
          .slice(offset, offset + size)
          .map((b) => agg(b, Date.parse(`${b.date}T05:00:00Z`)));
        const body: Record<string, unknown> = {
          ticker,
          queryCount: results.length,
          resultsCount: results.length,
          adjusted: true,
          ...(results.length ? { results } : {}),
          status: 'OK',
          request_id: requestId(),
          count: results.length,
        };
        if (offset + size < all.length) {
          body.next_url = `https://api.polygon.io/v2/aggs/ticker/${ticker}/range/1/day/${from}/${to}?cursor=${btoa(String(offset + size))}`;
        }
        return { body };
      }
      return { status: 404, body: { status: 'NOT_FOUND', request_id: requestId(), message: 'Not found' } };
    },
  });
}
