import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratos } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const dir = mkdtempSync(join(tmpdir(), 'stratos-news-'));

describe('stratos news-import and news', () => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    await db.sql`insert into public.assets (symbol, asset_type) values ('AA', 'equity')`;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db.drop();
  });

  it('imports a per-ticker FNSPID file named after its ticker, converges on a rerun, and lists it', async () => {
    const file = join(dir, 'news_sentiment_gpt_AA.csv');
    writeFileSync(
      file,
      [
        'Date,Url,Sentiment_gpt',
        '2022-03-29 12:36:00+00:00,https://www.nasdaq.com/articles/alcoa-corporation-moves-up-in-market-cap-rank,5.0',
        '2018-10-03 07:13:00+00:00,https://www.nasdaq.com/articles/why-century-aluminum-co-stock-plunging-today-2018-10-03,1.0',
        '5 DAYS AGO,https://www.nasdaq.com/articles/undated,3.0',
      ].join('\n'),
    );
    const first = await stratos('news-import', '--fnspid', file);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(
      /3 rows, 2 articles read \(0 non-English, 1 undatable, 0 without URL skipped\); 2 new/,
    );
    const again = await stratos('news-import', '--fnspid', file);
    expect(again.output).toMatch(/; 0 new, 2 already stored/);
    const rows = await db.sql`select a.published_at, m.provider_sentiment from public.news_articles a
      join public.news_mentions m on m.article_id = a.id order by a.published_at`;
    // 07:13 shown = 11:13 EDT = 15:13 UTC; 12:36 shown = 16:36 EDT = 20:36 UTC.
    expect(rows.map((r) => [r.published_at.toISOString(), r.provider_sentiment])).toEqual([
      ['2018-10-03T15:13:00.000Z', -1],
      ['2022-03-29T20:36:00.000Z', 1],
    ]);

    const list = await stratos('news', '--symbol', 'aa', '--since', '2020-01-01', '--json');
    expect(list.code).toBe(0);
    const { items } = JSON.parse(list.output);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      title: 'Alcoa corporation moves up in market cap rank',
      published_at: '2022-03-29T20:36:00.000Z',
      sources: [{ source: 'fnspid' }],
      mentions: [{ symbol: 'AA', provider_sentiment: 1, sentiment: null }],
    });
    const text = await stratos('news', '--symbol', 'AA');
    expect(text.output.split('\n')).toHaveLength(2);
  });

  it('exits 2 with one line for a missing or unreadable file, a file it cannot read as FNSPID, and bad options', async () => {
    const noFile = await stratos('news-import');
    expect(noFile).toMatchObject({ code: 2, output: expect.stringMatching(/needs --fnspid FILE/) });
    const missing = await stratos('news-import', '--fnspid', join(dir, 'nope.csv'));
    expect(missing.code).toBe(2);
    const bad = join(dir, 'bars.csv');
    writeFileSync(bad, 'date,open,high,low,close\n2024-01-02,1,1,1,1\n');
    const notNews = await stratos('news-import', '--fnspid', bad, '--symbol', 'AA');
    expect(notNews).toMatchObject({ code: 2, output: expect.stringMatching(/no Date and Url columns/) });
    expect(notNews.output.split('\n')).toHaveLength(1);
    expect((await stratos('news', '--since', '2024-02-30')).code).toBe(2);
    expect((await stratos('news', '--limit', '0')).code).toBe(2);
  });
});
