import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAlpaca } from '../../../test/support/fake-providers/alpaca.ts';
import { createVirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { expectedBars } from '../../../test/support/fake-providers/fixtures.ts';
import { type FakeProviderServer, startFakeServer } from '../../../test/support/fake-providers/server.ts';
import { type AlpacaOptions, createAlpacaProvider } from './index.ts';

const KEY_ID = 'PKTEST0123456789ABCD';
const SECRET = 'secret-DO-NOT-LEAK-abcdefghijklmnop';
const SYMBOLS = ['AAPL', 'JPM', 'MSFT', 'XOM'];

let fake: FakeProviderServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function provider(fakeOpts: Parameters<typeof startFakeAlpaca>[0] = {}, opts: AlpacaOptions = {}) {
  fake = await startFakeAlpaca({ keyId: KEY_ID, secret: SECRET, ...fakeOpts });
  return createAlpacaProvider({
    apiKey: KEY_ID,
    apiSecret: SECRET,
    baseUrl: fake.baseUrl,
    clock: createVirtualClock(),
    ...opts,
  });
}

const request = (from: string, to: string, symbols = SYMBOLS) =>
  ({ assetType: 'equity', symbols, from, to }) as const;

describe('Alpaca provider', () => {
  it('batches symbols into one request per batch with the documented parameters and key headers', async () => {
    const alpaca = await provider({}, { batchSize: 2, feed: 'iex' });
    const res = await alpaca.fetchDailyBars(request('2018-01-02', '2018-01-12'));
    expect(res).toEqual({ bars: expectedBars('equity', SYMBOLS, '2018-01-02', '2018-01-12'), errors: [] });
    expect(fake!.requests.map((r) => r.query.symbols).sort()).toEqual(['AAPL,JPM', 'MSFT,XOM']);
    const [first] = fake!.requests;
    expect(first!.path).toBe('/v2/stocks/bars');
    expect(first!.query).toMatchObject({
      timeframe: '1Day',
      start: '2018-01-02T00:00:00Z',
      end: '2018-01-12T23:59:59Z',
      adjustment: 'split',
      feed: 'iex',
      limit: '10000',
    });
    expect(first!.headers['apca-api-key-id']).toBe(KEY_ID);
    expect(first!.headers['apca-api-secret-key']).toBe(SECRET);
    expect(alpaca.capabilities).toEqual({
      assetTypes: ['equity'],
      batchSize: 2,
      groupedDaily: false,
    });
  });

  it('follows next_page_token through pages that split a symbol series', async () => {
    const alpaca = await provider({ pageSize: 5 });
    const res = await alpaca.fetchDailyBars(request('2018-01-02', '2018-01-12'));
    expect(res.bars).toEqual(expectedBars('equity', SYMBOLS, '2018-01-02', '2018-01-12'));
    // 36 bars in pages of 5: eight requests, every one after the first carrying the token it was given.
    expect(fake!.requests).toHaveLength(8);
    expect(fake!.requests[0]!.query.page_token).toBeUndefined();
    expect(fake!.requests.slice(1).every((r) => r.query.page_token)).toBe(true);
  });

  it('fails only the symbol whose entry in a page is not a list, serving the others of the page', async () => {
    fake = await startFakeServer({
      errorBody: () => ({ message: 'unused' }),
      reply: () => ({
        body: {
          bars: {
            AAPL: [{ t: '2018-01-08T05:00:00Z', o: 174.35, h: 175.61, l: 173.93, c: 174.35, v: 20567766 }],
            JPM: null,
          },
          next_page_token: null,
        },
      }),
    });
    const alpaca = createAlpacaProvider({ baseUrl: fake.baseUrl, clock: createVirtualClock() });
    const res = await alpaca.fetchDailyBars(request('2018-01-08', '2018-01-08', ['AAPL', 'JPM']));
    expect(res).toEqual({
      bars: expectedBars('equity', ['AAPL'], '2018-01-08', '2018-01-08'),
      errors: [{ symbol: 'JPM', error: "Alpaca sent JPM's bars as null, not a list", retryable: false }],
    });
  });

  it('fails the whole batch when a later page keeps failing: no symbol is half-served', async () => {
    const alpaca = await provider({ pageSize: 5 }, { limits: { retries: 1 } });
    fake!.fail({ truncated: true }, { truncated: true });
    const res = await alpaca.fetchDailyBars(request('2018-01-02', '2018-01-12'));
    expect(res.bars).toEqual([]);
    expect(res.errors.map((e) => e.symbol)).toEqual(SYMBOLS);
    expect(res.errors[0]!.error).toMatch(/^malformed JSON from 127\.0\.0\.1:\d+\/v2\/stocks\/bars/);
  });

  it('reports symbols Alpaca leaves out of the response, and an empty (weekend) range, per symbol', async () => {
    const alpaca = await provider({ missing: ['JPM'] });
    const res = await alpaca.fetchDailyBars(request('2018-01-08', '2018-01-09'));
    expect(res.bars).toEqual(expectedBars('equity', ['AAPL', 'MSFT', 'XOM'], '2018-01-08', '2018-01-09'));
    expect(res.errors).toEqual([
      { symbol: 'JPM', error: 'no bars for JPM between 2018-01-08 and 2018-01-09', retryable: false },
    ]);

    const weekend = await alpaca.fetchDailyBars(request('2018-01-06', '2018-01-07', ['AAPL']));
    expect(weekend).toEqual({
      bars: [],
      errors: [
        { symbol: 'AAPL', error: 'no bars for AAPL between 2018-01-06 and 2018-01-07', retryable: false },
      ],
    });
  });

  it('reports rejected credentials once per symbol, without the secret', async () => {
    fake = await startFakeAlpaca({ keyId: KEY_ID, secret: SECRET });
    const alpaca = createAlpacaProvider({
      apiKey: KEY_ID,
      apiSecret: 'wrong-secret-123456',
      baseUrl: fake.baseUrl,
    });
    const res = await alpaca.fetchDailyBars(request('2018-01-02', '2018-01-03'));
    expect(res.errors).toHaveLength(4);
    expect(res.errors[0]!.error).toMatch(
      /^HTTP 401 from 127\.0\.0\.1:\d+\/v2\/stocks\/bars: unauthorized\.$/,
    );
    expect(JSON.stringify(res)).not.toContain('wrong-secret');
    expect(fake.requests).toHaveLength(1);
  });
});
