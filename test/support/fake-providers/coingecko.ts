import { applyDataFaults, type DataFault, type FakeBar } from './data-faults.ts';
import { FIXTURE } from './fixtures.ts';
import { type FakeProviderServer, type FakeRequest, param, startFakeServer } from './server.ts';

// A fake CoinGecko API (docs.coingecko.com): /coins/list and /coins/{id}/market_chart/range with
// its documented auto-granularity: a span of up to 90 days answers hourly samples, a longer one
// a single 00:00 UTC sample per day. Hourly prices are built from each real daily bar so that the
// day's first sample is its open, the last its close, and two samples touch its high and low;
// total_volumes is the rolling 24-hour volume at each sample, the day's last one its real volume.

/** Options of the fake: the Demo key it accepts, days whose volume samples are missing, bad data it serves. */
export interface FakeCoinGeckoOptions {
  apiKey?: string;
  volumeGaps?: readonly string[];
  dataFaults?: readonly DataFault[];
}

const IDS: Record<string, { symbol: string; supply: number }> = {
  bitcoin: { symbol: 'BTC', supply: 16_790_000 },
  ethereum: { symbol: 'ETH', supply: 96_900_000 },
};

// A slice of /coins/list: ids of coins that share a symbol included, as the real list has many.
const COINS_LIST = [
  { id: 'bitcoin', symbol: 'btc', name: 'Bitcoin' },
  { id: 'ethereum', symbol: 'eth', name: 'Ethereum' },
  { id: 'bonk', symbol: 'bonk', name: 'Bonk' },
  { id: 'pepe', symbol: 'pepe', name: 'Pepe' },
  { id: 'pepe-token', symbol: 'pepe', name: 'PEPE Token' },
  { id: 'based-pepe', symbol: 'pepe', name: 'Based Pepe' },
];

const CHART = /^\/coins\/([^/]+)\/market_chart\/range$/;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Starts the fake CoinGecko API (base URL ends in /api/v3, like the real one). */
export function startFakeCoinGecko(opts: FakeCoinGeckoOptions = {}): Promise<FakeProviderServer> {
  return startFakeServer({
    prefix: '/api/v3',
    errorBody: (status) =>
      status === 429
        ? {
            status: {
              error_code: 429,
              error_message:
                "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
            },
          }
        : status === 401
          ? { status: { error_code: 10002, error_message: 'API Key Missing' } }
          : { error: 'Internal Server Error' },
    reply(req: FakeRequest) {
      const key = req.headers['x-cg-demo-api-key'];
      if (opts.apiKey && key !== undefined && key !== opts.apiKey) {
        return { status: 401, body: { status: { error_code: 10010, error_message: 'Invalid API Key' } } };
      }
      if (req.path === '/coins/list') return { body: COINS_LIST };
      const match = CHART.exec(req.path);
      if (!match) return { status: 404, body: { error: 'Not Found' } };
      const id = decodeURIComponent(match[1]!);
      if (!COINS_LIST.some((c) => c.id === id)) return { status: 404, body: { error: 'coin not found' } };
      const from = Number(param(req, 'from')) * 1000;
      const to = Number(param(req, 'to')) * 1000;
      const coin = IDS[id];
      // Requests cover whole UTC days, so a day is in range when its start is.
      const bars = applyDataFaults(
        (coin ? (FIXTURE.crypto.get(coin.symbol) ?? []) : []).filter((b) => {
          const start = Date.parse(`${b.date}T00:00:00Z`);
          return start >= from && start <= to;
        }),
        opts.dataFaults,
      );
      const hourly = to - from <= 90 * DAY;
      const samples = bars.flatMap((b) => (hourly ? hourlySamples(b) : [dailySample(b)]));
      return {
        body: {
          prices: samples.map((s) => [s.t, s.price]),
          market_caps: samples.map((s) => [s.t, Math.round(Number(s.price) * (coin?.supply ?? 0))]),
          total_volumes: samples
            .filter((s) => !opts.volumeGaps?.includes(new Date(s.t).toISOString().slice(0, 10)))
            .map((s) => [s.t, s.volume]),
        },
      };
    },
  });
}

// A value that is not a number (injected bad data) is passed on as it is in the samples it feeds.
type Sample = { t: number; price: unknown; volume: unknown };

/** 24 samples a few minutes past each hour (CoinGecko's are never on the hour). */
function hourlySamples(b: FakeBar): Sample[] {
  const start = Date.parse(`${b.date}T00:00:00Z`);
  const up = Number(b.close) >= Number(b.open);
  const mid = typeof b.open === 'number' && typeof b.close === 'number' ? (b.open + b.close) / 2 : b.open;
  return Array.from({ length: 24 }, (_, h) => {
    const price =
      h === 0
        ? b.open
        : h === 23
          ? b.close
          : h === 6
            ? up
              ? b.low
              : b.high
            : h === 17
              ? up
                ? b.high
                : b.low
              : mid;
    // The rolling 24-hour volume drifts towards the day's total, which the last sample carries.
    const volume = h === 23 || typeof b.volume !== 'number' ? b.volume : b.volume * (0.8 + (0.2 * h) / 23);
    return { t: start + h * HOUR + (7 + h) * 60_000 + 311, price, volume };
  });
}

/** Spans over 90 days get one sample a day, at 00:00 UTC. */
function dailySample(b: FakeBar): Sample {
  return { t: Date.parse(`${b.date}T00:00:00Z`), price: b.open, volume: b.volume };
}
