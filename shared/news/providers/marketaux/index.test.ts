import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMarketaux } from '../../../../test/support/fake-news/marketaux.ts';
import { createVirtualClock } from '../../../../test/support/fake-providers/clock.ts';
import type { FakeProviderServer } from '../../../../test/support/fake-providers/server.ts';
import { createMarketauxProvider } from './index.ts';

const KEY = 'marketaux-token-DO-NOT-LEAK-42';
const REQ = { assetType: 'equity' as const, symbols: ['AAPL', 'MSFT'], from: '2024-01-01', to: '2024-01-31' };

let fake: FakeProviderServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function provider(opts: Parameters<typeof createMarketauxProvider>[0] = {}) {
  fake ??= await startFakeMarketaux({ apiKey: KEY });
  return createMarketauxProvider({
    apiKey: KEY,
    baseUrl: fake.baseUrl,
    clock: createVirtualClock(),
    ...opts,
  });
}

describe('Marketaux news provider', () => {
  it('pages /v1/news/all by meta until every article is read, with entity sentiment and match scores', async () => {
    const marketaux = await provider({ maxPages: 10 });
    const res = await marketaux.fetchNews(REQ);
    expect(res.errors).toEqual([]);
    expect(res.quotaExhausted).toBe(false);
    // 16 articles, 3 a page: 6 requests.
    expect(res.items).toHaveLength(16);
    expect(res.requests).toBe(6);
    expect(fake!.requests.map((r) => r.query.page)).toEqual(['1', '2', '3', '4', '5', '6']);
    const q = fake!.requests[0]!.query;
    expect(q).toMatchObject({
      symbols: 'AAPL,MSFT',
      filter_entities: 'true',
      language: 'en',
      published_after: '2024-01-01T00:00:00',
      published_before: '2024-01-31T23:59:59',
      limit: '3',
    });
    const first = res.items.find((i) => i.title === 'AAPL beats estimates as revenue jumps (0)')!;
    expect(first).toMatchObject({
      source: 'marketaux',
      providerId: expect.stringMatching(/^0000\d+-/),
      publishedAt: '2024-01-02T14:10:00.000Z',
      publisher: 'example-news.com',
      tickers: [
        { symbol: 'AAPL', sentiment: 0.6, matchScore: 20 },
        { symbol: 'MSFT', sentiment: 0.1, matchScore: 3.5 },
      ],
    });
  });

  it('stops cleanly at the 402 usage limit: keeps what it read and lists the symbols it could not fetch', async () => {
    fake = await startFakeMarketaux({ apiKey: KEY, dailyRequests: 2 });
    const marketaux = await provider({ maxPages: 10 });
    const symbols = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'AAPL' : `S${i}`));
    const res = await marketaux.fetchNews({ ...REQ, symbols });
    expect(res.quotaExhausted).toBe(true);
    expect(res.items).toHaveLength(6);
    expect(fake.requests).toHaveLength(3);
    expect(res.errors[0]).toMatchObject({
      retryable: false,
      error: expect.stringMatching(/HTTP 402 .*Usage limit reached/),
    });
    // The second batch of 20 symbols was never asked for.
    expect(res.errors[1]).toEqual({
      symbols: symbols.slice(20),
      error: expect.stringMatching(/quota/),
      retryable: true,
    });
    // The next call of the day sends nothing.
    const later = await marketaux.fetchNews({ ...REQ, symbols: ['AAPL'] });
    expect(fake.requests).toHaveLength(3);
    expect(later).toMatchObject({ quotaExhausted: true, requests: 0, items: [] });
  });

  it('keeps to its own daily allowance: no request beyond it goes out', async () => {
    const marketaux = await provider({ dailyRequests: 2 });
    const res = await marketaux.fetchNews(REQ);
    expect(fake!.requests).toHaveLength(2);
    expect(res.items).toHaveLength(6);
    expect(res.quotaExhausted).toBe(true);
  });

  it('retries a 429 after its Retry-After and 5xx with backoff, then succeeds', async () => {
    const clock = createVirtualClock();
    const marketaux = await provider({ clock });
    fake!.fail({ status: 429, retryAfter: '7' }, { status: 503 });
    const res = await marketaux.fetchNews({ ...REQ, symbols: ['TSLA'] });
    expect(res.errors).toEqual([]);
    expect(res.items).toHaveLength(8);
    expect(clock.sleeps[0]).toBe(7_000);
  });

  it.each([
    [401, /HTTP 401 .*Invalid API token/],
    [403, /HTTP 403 .*do not have access/],
  ])('rejects a %i at once, without retrying and without the key in the message', async (status, message) => {
    const marketaux = await provider();
    fake!.failAlways({ status });
    const res = await marketaux.fetchNews({ ...REQ, symbols: ['TSLA'] });
    expect(fake!.requests).toHaveLength(1);
    expect(res.errors).toEqual([
      { symbols: ['TSLA'], error: expect.stringMatching(message), retryable: false },
    ]);
    expect(JSON.stringify(res)).not.toContain(KEY);
  });

  it('gives up on timeouts and malformed JSON as retryable or rejected errors, keeping other batches', async () => {
    const marketaux = await provider({ limits: { timeoutMs: 200, retries: 1 } });
    fake!.fail({ delayMs: 1_000 }, { delayMs: 1_000 });
    const timedOut = await marketaux.fetchNews({ ...REQ, symbols: ['TSLA'] });
    expect(timedOut.errors).toEqual([
      { symbols: ['TSLA'], error: expect.stringMatching(/timed out/), retryable: true },
    ]);
    fake!.fail({ malformed: true }, { malformed: true });
    const malformed = await marketaux.fetchNews({ ...REQ, symbols: ['TSLA'] });
    expect(malformed.errors).toEqual([
      { symbols: ['TSLA'], error: expect.stringMatching(/malformed JSON/), retryable: false },
    ]);
  });
});
