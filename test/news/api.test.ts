import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NewsList } from '../../shared/api/contracts/news.ts';
import { createContext } from '../../shared/config.ts';
import { storeNews } from '../../shared/news/store.ts';
import type { NewsItem } from '../../shared/news/types.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS, TEST_KEYS } from '../support/auth.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

function item(k: number, symbol: string, source = 'marketaux'): NewsItem {
  return {
    source,
    providerId: `id-${k}`,
    url: `https://wire.example/${symbol.toLowerCase()}/${k}`,
    title: `${symbol} story number ${k} about ${['earnings', 'products', 'guidance', 'lawsuits', 'hiring'][k % 5]}`,
    summary: null,
    body: null,
    publishedAt: `2024-03-${String(1 + k).padStart(2, '0')}T15:00:00.000Z`,
    dateOnly: false,
    publisher: 'wire.example',
    tickers: [{ symbol, sentiment: k % 2 ? 0.5 : -0.5, matchScore: 10 }],
  };
}

describe('GET /news and GET /assets/:asset_type/:symbol/news', () => {
  let db: TestDatabase;
  let app: ReturnType<typeof createApp>;
  const get = async (path: string, headers: Record<string, string> = AS.reader) => {
    const res = await app.request(`/control-api${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const ctx = createContext({ DATABASE_URL: db.url, ...TEST_KEYS }, { sql: db.sql });
    app = createApp(ctx);
    await db.sql`insert into public.assets (symbol, asset_type) values ('AAPL', 'equity'), ('MSFT', 'equity'), ('BTC', 'crypto')`;
    await storeNews(db.sql, 'equity', [
      ...Array.from({ length: 7 }, (_, k) => item(k, 'AAPL')),
      ...Array.from({ length: 3 }, (_, k) => item(10 + k, 'MSFT', 'tiingo')),
      // Two articles within one second: the cursor keeps milliseconds, so paging skips neither.
      { ...item(20, 'MSFT'), publishedAt: '2024-02-01T10:00:00.500Z' },
      { ...item(21, 'MSFT'), publishedAt: '2024-02-01T10:00:00.200Z' },
    ]);
    // Scores as the sentiment stage stores them: AAPL's odd stories positive, even ones negative.
    await db.sql`insert into public.news_sentiment (article_id, asset_id, scorer_version, scorer_kind, status, score,
        relevance, impact, content_hash, session_date)
      select m.article_id, m.asset_id, 'lexicon-v1', 'lexicon', 'valid', m.provider_sentiment, 1, 0.5, 'h', '2024-03-01'
      from public.news_mentions m`;
  });
  afterAll(() => db.drop());

  it('lists articles newest first with sources, mentions and sentiment, in keyset pages', async () => {
    const first = await get('/news?limit=4');
    expect(first.status).toBe(200);
    const page1 = NewsList.parse(first.body);
    expect(page1.items.map((a) => a.published_at)).toEqual([
      '2024-03-13T15:00:00.000Z',
      '2024-03-12T15:00:00.000Z',
      '2024-03-11T15:00:00.000Z',
      '2024-03-07T15:00:00.000Z',
    ]);
    expect(page1.items[0]).toMatchObject({
      sources: [{ source: 'tiingo', provider_id: 'id-12', publisher: 'wire.example' }],
      mentions: [
        {
          symbol: 'MSFT',
          asset_type: 'equity',
          provider_sentiment: -0.5,
          match_score: 10,
          sentiment: { score: -0.5, scorer_version: 'lexicon-v1' },
        },
      ],
    });
    const seen = page1.items.map((a) => a.id);
    let cursor = page1.next_cursor;
    while (cursor) {
      const next = NewsList.parse((await get(`/news?limit=1&cursor=${encodeURIComponent(cursor)}`)).body);
      seen.push(...next.items.map((a) => a.id));
      cursor = next.next_cursor;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it('filters by asset, source, days and sentiment range', async () => {
    const ids = async (q: string) => NewsList.parse((await get(`/news?${q}`)).body).items.length;
    expect(await ids('asset=aapl')).toBe(7);
    expect(await ids('source=tiingo')).toBe(3);
    expect(await ids('since=2024-03-03&until=2024-03-04')).toBe(2);
    expect(await ids('asset=AAPL&min_sentiment=0.1')).toBe(3);
    expect(await ids('max_sentiment=-0.1')).toBe(7);
    const asset = NewsList.parse((await get('/assets/equity/AAPL/news?limit=2')).body);
    expect(asset.items).toHaveLength(2);
    expect(asset.next_cursor).not.toBeNull();
  });

  it.each([
    ['/news?limit=0', 400],
    ['/news?min_sentiment=2', 400],
    ['/news?min_sentiment=0.5&max_sentiment=0.1', 400],
    ['/news?since=2024-03-05&until=2024-03-01', 400],
    ['/news?cursor=yesterday', 400],
    ['/news?source=reddit', 400],
    ['/news?since=2024-02-30', 400],
    ['/news?bogus=1', 400],
    ['/assets/equity/NOPE/news', 404],
    ['/assets/bonds/AAPL/news', 400],
  ])('%s answers %i with the JSON error shape', async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body).toHaveProperty('error');
  });

  it('needs a reader', async () => {
    expect((await get('/news', {})).status).toBe(401);
  });
});
