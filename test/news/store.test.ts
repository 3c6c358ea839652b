import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarketauxProvider } from '../../shared/news/providers/marketaux/index.ts';
import { createTiingoNewsProvider } from '../../shared/news/providers/tiingo/index.ts';
import { storeNews } from '../../shared/news/store.ts';
import type { NewsItem } from '../../shared/news/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startFakeMarketaux } from '../support/fake-news/marketaux.ts';
import { startFakeTiingoNews } from '../support/fake-news/tiingo.ts';
import { createVirtualClock } from '../support/fake-providers/clock.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`insert into public.assets (symbol, asset_type) values ('AAPL', 'equity'), ('MSFT', 'equity'), ('TSLA', 'equity')`;
});
afterAll(async () => {
  await db.drop();
});

async function snapshot() {
  const sql = db.sql;
  return {
    articles:
      await sql`select url_key, url, title, summary, published_at, source from public.news_articles order by url_key`,
    sources:
      await sql`select s.source, s.provider_id, a.url_key, s.url_key as copy_key from public.news_article_sources s
      join public.news_articles a on a.id = s.article_id order by 1, 2`,
    mentions:
      await sql`select a.url_key, m.symbol, m.provider_sentiment, m.match_score, m.sources from public.news_mentions m
      join public.news_articles a on a.id = m.article_id order by 1, 2`,
  };
}

function item(over: Partial<NewsItem>): NewsItem {
  return {
    source: 'test',
    providerId: 'x',
    url: 'https://wire.example/x',
    title: 'Tesla recalls vehicles over software fault',
    summary: null,
    body: null,
    publishedAt: '2024-02-01T15:00:00.000Z',
    dateOnly: false,
    publisher: null,
    tickers: [{ symbol: 'TSLA', sentiment: null, matchScore: null }],
    ...over,
  };
}

describe('storeNews', () => {
  it('stores Marketaux and Tiingo copies of the same stories as one article each, every provider id kept, and converges on rerun', async () => {
    const marketauxFake = await startFakeMarketaux();
    const tiingoFake = await startFakeTiingoNews();
    try {
      const req = {
        assetType: 'equity' as const,
        symbols: ['AAPL', 'MSFT', 'TSLA'],
        from: '2024-01-01',
        to: '2024-01-31',
      };
      const clock = createVirtualClock();
      const a = await createMarketauxProvider({
        baseUrl: marketauxFake.baseUrl,
        clock,
        maxPages: 20,
      }).fetchNews(req);
      const b = await createTiingoNewsProvider({ baseUrl: tiingoFake.baseUrl, clock }).fetchNews(req);
      expect(a.items).toHaveLength(24);
      expect(b.items).toHaveLength(24);

      const first = await storeNews(db.sql, 'equity', a.items);
      expect(first).toMatchObject({ items: 24, articles: 24 });
      const second = await storeNews(db.sql, 'equity', b.items);
      expect(second).toMatchObject({ items: 24, articles: 0, merged_url: 24 });
      const once = await snapshot();
      expect(once.articles).toHaveLength(24);
      expect(once.sources).toHaveLength(48);
      // AAPL's articles 0, 3 and 6 also name MSFT: one article, two mentions, both providers listed.
      const multi = once.mentions.filter((m) => m.url_key === 'example-news.com/markets/aapl-story-0');
      expect(multi).toEqual([
        {
          url_key: 'example-news.com/markets/aapl-story-0',
          symbol: 'AAPL',
          provider_sentiment: 0.6,
          match_score: 20,
          sources: ['marketaux', 'tiingo'],
        },
        {
          url_key: 'example-news.com/markets/aapl-story-0',
          symbol: 'MSFT',
          provider_sentiment: 0.1,
          match_score: 3.5,
          sources: ['marketaux', 'tiingo'],
        },
      ]);

      // Reruns in either order change nothing.
      const again = await storeNews(db.sql, 'equity', [...b.items, ...a.items]);
      expect(again).toMatchObject({ articles: 0, merged_provider_id: 48 });
      expect(await snapshot()).toEqual(once);
    } finally {
      await marketauxFake.close();
      await tiingoFake.close();
    }
  });

  it('merges a syndicated copy with an edited title and another ticker case; keeps a different story apart', async () => {
    const original = item({ providerId: 'syn-1', url: 'https://wire.example/tesla-recall' });
    await storeNews(db.sql, 'equity', [original]);
    const counts = await storeNews(db.sql, 'equity', [
      item({
        source: 'other',
        providerId: 'syn-2',
        url: 'https://news.example.org/2024/02/01/tesla-recall-software',
        title: 'UPDATE 1-Tesla recalls vehicles over software fault - Reuters',
        publishedAt: '2024-02-01T19:30:00.000Z',
        tickers: [{ symbol: 'tsla', sentiment: null, matchScore: null }],
      }),
      item({
        source: 'other',
        providerId: 'syn-3',
        url: 'https://news.example.org/2024/02/01/tesla-price-cut',
        title: 'Tesla cuts prices of Model Y in China',
        publishedAt: '2024-02-01T20:00:00.000Z',
      }),
    ]);
    expect(counts).toMatchObject({ articles: 1, merged_title: 1, mentions: 2 });
    const rows = await db.sql`select a.title, array_agg(s.provider_id order by s.provider_id) as ids
      from public.news_articles a join public.news_article_sources s on s.article_id = a.id
      where a.title like 'Tesla%' group by a.title order by a.title`;
    expect(rows).toEqual([
      { title: 'Tesla cuts prices of Model Y in China', ids: ['syn-3'] },
      { title: 'Tesla recalls vehicles over software fault', ids: ['syn-1', 'syn-2'] },
    ]);
  });

  it('counts tickers that are not assets and stores the article without them', async () => {
    const counts = await storeNews(db.sql, 'equity', [
      item({
        providerId: 'unknown-1',
        url: 'https://wire.example/zzzz',
        title: 'Small cap ZZZZ lists on Nasdaq',
        tickers: [{ symbol: 'ZZZZ', sentiment: null, matchScore: null }],
      }),
    ]);
    expect(counts).toMatchObject({ articles: 1, mentions: 0, unknown_tickers: 1 });
  });
});
