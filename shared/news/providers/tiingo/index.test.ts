import { afterEach, describe, expect, it } from 'vitest';
import { fakeArticles } from '../../../../test/support/fake-news/articles.ts';
import { startFakeTiingoNews } from '../../../../test/support/fake-news/tiingo.ts';
import { createVirtualClock } from '../../../../test/support/fake-providers/clock.ts';
import type { FakeProviderServer } from '../../../../test/support/fake-providers/server.ts';
import { createTiingoNewsProvider } from './index.ts';

const KEY = 'tiingo-news-token-DO-NOT-LEAK-9';
const REQ = {
  assetType: 'equity' as const,
  symbols: ['AAPL', 'BRK.B'],
  from: '2024-01-01',
  to: '2024-01-31',
};

let fake: FakeProviderServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('Tiingo News provider', () => {
  it('filters by tickers (lower case, share classes dashed) and pages by offset', async () => {
    fake = await startFakeTiingoNews({ apiKey: KEY, articles: fakeArticles(['AAPL', 'BRK.B']) });
    const tiingo = createTiingoNewsProvider({
      apiKey: KEY,
      baseUrl: fake.baseUrl,
      clock: createVirtualClock(),
      pageSize: 5,
    });
    const res = await tiingo.fetchNews(REQ);
    expect(res.errors).toEqual([]);
    expect(res.items).toHaveLength(16);
    expect(fake.requests.map((r) => r.query.offset)).toEqual(['0', '5', '10', '15']);
    expect(fake.requests[0]!.query).toMatchObject({
      tickers: 'aapl,brk-b',
      startDate: '2024-01-01',
      endDate: '2024-01-31',
      limit: '5',
    });
    expect(fake.requests[0]!.headers.authorization).toBe(`Token ${KEY}`);
    const brk = res.items.find((i) => i.title.startsWith('BRK.B'))!;
    expect(brk).toMatchObject({
      source: 'tiingo',
      tickers: [{ symbol: 'BRK.B', sentiment: null, matchScore: null }],
    });
    expect(brk.url).toMatch(/utm_source=tiingo/);
  });

  it('says plainly that the plan has no News API access on a 403, and does not retry', async () => {
    fake = await startFakeTiingoNews({ apiKey: KEY, newsAccess: false });
    const tiingo = createTiingoNewsProvider({
      apiKey: KEY,
      baseUrl: fake.baseUrl,
      clock: createVirtualClock(),
    });
    const res = await tiingo.fetchNews(REQ);
    expect(fake.requests).toHaveLength(1);
    expect(res.errors).toEqual([
      {
        symbols: ['AAPL', 'BRK.B'],
        error: expect.stringMatching(/no access to the News API/),
        retryable: false,
      },
    ]);
    expect(JSON.stringify(res)).not.toContain(KEY);
  });

  it('retries 429 (Retry-After) and 5xx, and skips records it cannot read', async () => {
    const articles = fakeArticles(['AAPL']);
    articles[1]!.publishedAt = 'not a date';
    fake = await startFakeTiingoNews({ apiKey: KEY, articles });
    const clock = createVirtualClock();
    const tiingo = createTiingoNewsProvider({ apiKey: KEY, baseUrl: fake.baseUrl, clock });
    fake.fail({ status: 429, retryAfter: '3' }, { status: 500 });
    const res = await tiingo.fetchNews({ ...REQ, symbols: ['AAPL'], from: '2024-01-01' });
    expect(res.errors).toEqual([]);
    expect(clock.sleeps[0]).toBe(3_000);
    // The record with an unreadable date is not in the date filter of the fake either.
    expect(res.items).toHaveLength(7);
  });

  it('reports a truncated body as retryable once, rejected when it repeats', async () => {
    fake = await startFakeTiingoNews({ apiKey: KEY });
    const tiingo = createTiingoNewsProvider({
      apiKey: KEY,
      baseUrl: fake.baseUrl,
      clock: createVirtualClock(),
    });
    fake.fail({ truncated: true });
    expect((await tiingo.fetchNews({ ...REQ, symbols: ['TSLA'] })).items).toHaveLength(8);
    fake.failAlways({ truncated: true });
    const res = await tiingo.fetchNews({ ...REQ, symbols: ['TSLA'] });
    expect(res.errors).toEqual([
      { symbols: ['TSLA'], error: expect.stringMatching(/malformed JSON/), retryable: false },
    ]);
  });
});
