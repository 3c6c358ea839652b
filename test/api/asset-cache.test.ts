import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetList } from '../../shared/api/contracts/assets.ts';
import { createContext } from '../../shared/config.ts';
import { LEXICON_VERSION } from '../../shared/news/score/lexicon.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS, TEST_KEYS } from '../support/auth.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const DAY = '2026-03-02';
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'];

// GET /assets answers repeated queries from its response cache; every write to what the list reads
// must show on the next request, and credentials are checked on every request.
describe('GET /assets response cache and sentiment columns', () => {
  let db: TestDatabase;
  let app: ReturnType<typeof createApp>;
  const ids = new Map<string, number>();
  const get = (path: string, headers: Record<string, string> = AS.reader) =>
    app.request(`/control-api${path}`, { headers });
  const list = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    return AssetList.parse(await res.json());
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // The lexicon's series: the scorer the API reads when no LLM is configured.
    const ctx = createContext(
      { DATABASE_URL: db.url, ...TEST_KEYS, STRATOS_SENTIMENT_SCORER: 'lexicon' },
      { sql: db.sql },
    );
    app = createApp(ctx);
    const rows = await db.sql<{ id: number; symbol: string }[]>`
      insert into assets (symbol, asset_type) select unnest(${SYMBOLS}::text[]), 'equity' returning id, symbol`;
    for (const r of rows) ids.set(r.symbol, r.id);
    await db.sql`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      select id, ${DAY}::date, c, c, c, c, 1000, 'test' from (select id, 10 + id % 7 as c from assets) a`;
    await db.sql`insert into daily_features (asset_id, date, rsi_14) select id, ${DAY}::date, 40 + id % 5 from assets`;
  });
  afterAll(() => db.drop());

  it('answers with an ETag, a 304 to a current If-None-Match, and the same body again', async () => {
    const first = await get('/assets');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-z-]+"$/);
    const body = await first.text();
    expect(AssetList.parse(JSON.parse(body)).items.map((i) => i.symbol)).toEqual(SYMBOLS);

    const again = await get('/assets');
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe(body);
    const revalidated = await get('/assets', { ...AS.reader, 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    // Another query is another entry: same data, another body.
    expect((await get('/assets?order=desc')).headers.get('etag')).not.toBe(etag);
  });

  it('checks credentials on every request, cached or not', async () => {
    await list('/assets');
    expect((await get('/assets', {})).status).toBe(401);
    expect((await get('/assets', { apikey: 'wrong' })).status).toBe(401);
  });

  it('shows a committed write on the next request: bars, features, signals, flags, assets', async () => {
    const before = await get('/assets?sort=close&order=desc');
    const etag = before.headers.get('etag')!;
    const aaa = ids.get('AAA')!;
    await db.sql`update daily_bars set open = 99, high = 99, low = 99, close = 99 where asset_id = ${aaa}`;
    const after = await get('/assets?sort=close&order=desc', { ...AS.reader, 'if-none-match': etag });
    expect(after.status).toBe(200);
    const top = AssetList.parse(await after.json()).items[0]!;
    expect([top.symbol, top.close]).toEqual(['AAA', 99]);

    await db.sql`update daily_features set rsi_14 = 5 where asset_id = ${aaa}`;
    expect((await list('/assets?sort=rsi_14')).items[0]!.features.rsi_14).toBe(5);

    await db.sql`insert into signal_templates (id, version, name, description, direction, definition)
      values ('cache_tpl', 1, 'T', 'd', 'bullish', '{}')`;
    await db.sql`insert into daily_signal_facts (asset_id, date, template, template_version, direction, strength, evidence)
      values (${aaa}, ${DAY}, 'cache_tpl', 1, 'bullish', 70, '{}')`;
    expect((await list('/assets?signal=cache_tpl')).items.map((i) => i.symbol)).toEqual(['AAA']);

    await db.sql`update assets set name = 'Renamed Co' where id = ${aaa}`;
    expect((await list('/assets?q=renamed')).items.map((i) => i.symbol)).toEqual(['AAA']);
    await db.sql`update assets set active = false where id = ${aaa}`;
    expect((await list('/assets')).total).toBe(SYMBOLS.length - 1);
    await db.sql`update assets set active = true where id = ${aaa}`;
    expect((await list('/assets')).total).toBe(SYMBOLS.length);
  });

  it('does not serve a write before it commits, and serves it once it has', async () => {
    const path = '/assets?sort=close&order=asc&limit=1';
    const cheapest = (await list(path)).items[0]!;
    const writer = await db.sql.reserve();
    try {
      await writer`begin`;
      await writer`update daily_bars set open = 0.5, high = 0.5, low = 0.5, close = 0.5 where asset_id = ${ids.get('DDD')!}`;
      // The uncommitted write is invisible: the cached answer still holds.
      expect((await list(path)).items[0]!.symbol).toBe(cheapest.symbol);
      await writer`commit`;
    } finally {
      writer.release();
    }
    const now = (await list(path)).items[0]!;
    expect([now.symbol, now.close]).toEqual(['DDD', 0.5]);
  });

  it('serves, sorts and filters by the day’s sentiment of the configured scorer', async () => {
    const columns = 'columns=news_count,sentiment_weighted,sentiment_decayed';
    const none = await list(`/assets?${columns}`);
    expect(none.items.every((i) => i.features.sentiment_weighted === null)).toBe(true);

    await db.sql`
      insert into daily_sentiment (asset_id, date, scorer_version, news_count, mean, weighted_mean, dispersion, decayed)
      values (${ids.get('BBB')!}, ${DAY}, ${LEXICON_VERSION}, 3, 0.4, 0.5, 0.1, 0.4),
             (${ids.get('CCC')!}, ${DAY}, ${LEXICON_VERSION}, 1, -0.2, -0.2, 0, -0.2),
             -- Another scorer's series and another day are not this list's.
             (${ids.get('AAA')!}, ${DAY}, 'llm:other-model:v1', 5, 0.9, 0.9, 0, 0.9),
             (${ids.get('DDD')!}, '2026-02-27', ${LEXICON_VERSION}, 2, 0.8, 0.8, 0, 0.8)`;
    const sorted = await list(`/assets?${columns}&sort=sentiment_weighted&order=desc`);
    expect(sorted.items.map((i) => [i.symbol, i.features.sentiment_weighted, i.features.news_count])).toEqual(
      [
        ['BBB', 0.5, 3],
        ['CCC', -0.2, 1],
        ['AAA', null, null],
        ['DDD', null, null],
      ],
    );
    const positive = await list(`/assets?${columns}&range=sentiment_weighted:0:`);
    expect([positive.total, positive.items.map((i) => i.symbol)]).toEqual([1, ['BBB']]);

    // Keyset pages along a sentiment sort cover every asset once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(
        `/assets?sort=sentiment_decayed&order=asc&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((i) => i.symbol));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['CCC', 'BBB', 'AAA', 'DDD']);

    const unknown = await get('/assets?sort=sentiment_nonsense');
    expect(unknown.status).toBe(400);
  });
});
