import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { drainUntilIdle } from '../../../scripts/local/session.ts';
import { createContext } from '../../../shared/config.ts';
import { createLlmScorer } from '../../../shared/news/score/llm.ts';
import { scoreShortlist } from '../../../shared/news/sentiment/shortlist.ts';
import { startRun } from '../../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { createApp } from '../../../supabase/functions/control-api/app.ts';
import { AS, TEST_KEYS } from '../../support/auth.ts';
import { stratos } from '../../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { type FakeOpenAi, type FakeRequest, startFakeOpenAi } from '../../support/fake-openai.ts';

let db: TestDatabase;
let ctx: PipelineContext;
let fake: FakeOpenAi | null = null;
const ids: Record<string, number> = {};

// Wednesday 2024-01-17 to Friday 2024-01-19 (EST: the close is 21:00 UTC).
const ARTICLES = [
  // 10:00 New York: counts for Wednesday.
  {
    key: 'a1',
    title: 'AAA beats estimates and raises guidance',
    at: '2024-01-17T15:00:00Z',
    dateOnly: false,
    tickers: ['AAA', 'BBB'],
  },
  // 16:30 New York, after the close: counts for Thursday.
  {
    key: 'a2',
    title: 'AAA recalls 2 million units over safety concerns',
    at: '2024-01-17T21:30:00Z',
    dateOnly: false,
    tickers: ['AAA'],
  },
  // Dated Thursday by day only: counts for Friday.
  {
    key: 'a3',
    title: 'BBB files for bankruptcy',
    at: '2024-01-18T00:00:00Z',
    dateOnly: true,
    tickers: ['BBB'],
  },
  // After the run: must reach no day of it.
  {
    key: 'a4',
    title: 'AAA posts record revenue',
    at: '2024-01-19T21:05:00Z',
    dateOnly: false,
    tickers: ['AAA'],
  },
  {
    key: 'a5',
    title: 'AAA upgraded to strong buy',
    at: '2024-01-25T15:00:00Z',
    dateOnly: false,
    tickers: ['AAA'],
  },
];

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = createContext({ DATABASE_URL: db.url, OPENAI_API_KEY: '', ...TEST_KEYS }, { sql: db.sql });
  for (const symbol of ['AAA', 'BBB', 'CCC']) {
    const [row] = await db.sql<{ id: number }[]>`
      insert into assets (symbol, asset_type, name) values (${symbol}, 'equity', ${symbol}) returning id`;
    ids[symbol] = Number(row!.id);
  }
  for (const a of ARTICLES) {
    const [row] = await db.sql<{ id: number }[]>`
      insert into news_articles (url_key, url, title, summary, published_at, date_only, source)
      values (${`example.com/${a.key}`}, ${`https://example.com/${a.key}`}, ${a.title}, null, ${a.at}, ${a.dateOnly}, 'demo')
      returning id`;
    ids[a.key] = Number(row!.id);
    for (const t of a.tickers) {
      await db.sql`insert into news_mentions (article_id, asset_id, symbol, sources) values (${row!.id}, ${ids[t]!}, ${t}, '{demo}')`;
    }
  }
});
afterAll(async () => {
  await db.drop();
});
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function run(c: PipelineContext, date: string, from?: string) {
  const { run } = await startRun(c, {
    stage: 'sentiment',
    date,
    universe: 'equity_all',
    chain: false,
    rerun: true,
    params: from ? { from } : {},
  });
  await drainUntilIdle(c, 'sentiment-test');
  const [done] = await db.sql<{ status: string; summary: Record<string, number> }[]>`
    select status, summary from pipeline_runs where id = ${run.id}`;
  return done!;
}
const daily = (version: string) => db.sql<
  {
    symbol: string;
    date: string;
    news_count: number;
    mean: number | null;
    weighted_mean: number | null;
    dispersion: number | null;
    decayed: number | null;
    last_news_date: string | null;
  }[]
>`
  select a.symbol, d.date::text, d.news_count, d.mean, d.weighted_mean, d.dispersion, d.decayed, d.last_news_date::text
  from daily_sentiment d join assets a on a.id = d.asset_id
  where d.scorer_version = ${version} order by 1, 2`;

describe('sentiment stage', () => {
  it('scores with the lexicon, assigns sessions point in time and aggregates daily', async () => {
    const done = await run(ctx, '2024-01-19', '2024-01-16');
    expect(done.status).toBe('succeeded');
    const scores = await db.sql<
      {
        article_id: number;
        symbol: string;
        status: string;
        score: number;
        session_date: string;
        scorer_version: string;
      }[]
    >`
      select s.article_id, a.symbol, s.status, s.score, s.session_date::text, s.scorer_version
      from news_sentiment s join assets a on a.id = s.asset_id order by 1, 2`;
    const by = Object.fromEntries(scores.map((s) => [`${s.article_id}:${s.symbol}`, s]));
    expect(by[`${ids.a1}:AAA`]).toMatchObject({
      status: 'valid',
      session_date: '2024-01-17',
      scorer_version: 'lexicon-v1',
    });
    expect(by[`${ids.a1}:AAA`]!.score).toBeGreaterThan(0);
    expect(by[`${ids.a2}:AAA`]!.session_date).toBe('2024-01-18');
    expect(by[`${ids.a2}:AAA`]!.score).toBeLessThan(0);
    expect(by[`${ids.a3}:BBB`]!.session_date).toBe('2024-01-19');
    expect(by[`${ids.a4}:AAA`]!.session_date).toBe('2024-01-22');
    // Published a week after the run date: not even scored.
    expect(by[`${ids.a5}:AAA`]).toBeUndefined();

    const rows = await daily('lexicon-v1');
    const aaa = rows.filter((r) => r.symbol === 'AAA');
    expect(aaa.map((r) => [r.date, r.news_count])).toEqual([
      ['2024-01-17', 1],
      ['2024-01-18', 1],
      ['2024-01-19', 0],
    ]);
    expect(aaa[2]!.decayed).toBeCloseTo(aaa[1]!.mean! * Math.exp(-0.05), 9);
    // BBB's day-only bankruptcy (dated Thursday) first counts on Friday.
    const bbb = rows.filter((r) => r.symbol === 'BBB');
    expect(bbb.map((r) => [r.date, r.news_count])).toEqual([
      ['2024-01-17', 1],
      ['2024-01-18', 0],
      ['2024-01-19', 1],
    ]);
    expect(bbb[1]!.decayed).toBeCloseTo(bbb[0]!.mean! * Math.exp(-0.05), 9);
    expect(bbb[2]!.mean).toBeLessThan(0);
    expect(rows.some((r) => r.symbol === 'CCC')).toBe(false);
  });

  it('gives each day the same row whether the run stops on it or goes past it (no look-ahead)', async () => {
    const full = await daily('lexicon-v1');
    for (const day of ['2024-01-17', '2024-01-18']) {
      await run(ctx, day, day);
      const cut = await daily('lexicon-v1');
      expect(cut.filter((r) => r.date === day)).toEqual(full.filter((r) => r.date === day));
    }
  });

  it('converges on a rerun: nothing scored again, the same rows', async () => {
    const before = await daily('lexicon-v1');
    const again = await run(ctx, '2024-01-19', '2024-01-16');
    expect(again.summary.scored).toBe(0);
    expect(again.summary.cached).toBe(again.summary.articles);
    expect(await daily('lexicon-v1')).toEqual(before);
  });

  it('scores with the LLM: never twice for unchanged news, invalid answers stored with the reason and left out of the aggregates', async () => {
    fake = await startFakeOpenAi((request: FakeRequest) => {
      const content: string = request.body.messages[1].content;
      const asked: { article_id: string; tickers: string[]; title: string }[] = JSON.parse(
        content.slice(content.indexOf('\n') + 1),
      );
      const results = asked.flatMap((a) =>
        a.tickers.map((ticker) => ({
          article_id: a.article_id,
          // BBB on the earnings story is answered out of range: invalid, never a 0.
          ticker,
          score: ticker === 'BBB' && /beats/.test(a.title) ? 3 : /beats/.test(a.title) ? 0.7 : -0.5,
          relevance: 1,
          impact: 0.4,
        })),
      );
      return { content: JSON.stringify({ results }), usage: { prompt: 500, completion: 100 } };
    });
    const llm = createLlmScorer({
      apiKey: 'sk-x',
      baseURL: fake.baseURL,
      model: 'gpt-4.1-mini',
      price: { input: 0.4, output: 1.6 },
      maxRetries: 0,
    });
    const llmCtx: PipelineContext = { ...ctx, sentiment: { scorer: llm, budgetUsd: null } };
    const first = await run(llmCtx, '2024-01-19', '2024-01-16');
    expect(first.status).toBe('succeeded');
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(Number(first.summary.sentiment_cost_usd)).toBeGreaterThan(0);
    const [bad] = await db.sql<{ status: string; score: number | null; reason: string; cost_usd: string }[]>`
      select status, score, reason, cost_usd from news_sentiment
      where article_id = ${ids.a1!} and asset_id = ${ids.BBB!} and scorer_version = ${llm.version}`;
    expect(bad).toMatchObject({ status: 'invalid', score: null });
    expect(bad!.reason).toMatch(/out of range/);
    expect(Number(bad!.cost_usd)).toBeGreaterThan(0);
    const rows = await daily(llm.version);
    // BBB's earnings-day answer was invalid: no row that day rather than a neutral 0.
    expect(rows.filter((r) => r.symbol === 'BBB').map((r) => [r.date, r.news_count, r.mean])).toEqual([
      ['2024-01-19', 1, -0.5],
    ]);
    expect(rows.find((r) => r.symbol === 'AAA' && r.date === '2024-01-17')!.mean).toBeCloseTo(0.7, 9);

    const calls = fake.requests.length;
    const second = await run(llmCtx, '2024-01-19', '2024-01-16');
    expect(fake.requests.length).toBe(calls);
    expect(second.summary.scored).toBe(0);
    expect(await daily(llm.version)).toEqual(rows);
  });

  it('stops at the per-run budget: the rest stays unscored and the run is partial', async () => {
    fake = await startFakeOpenAi(() => ({ content: '{"results": []}' }));
    const llm = createLlmScorer({
      apiKey: 'sk-x',
      baseURL: fake.baseURL,
      model: 'gpt-4o-mini',
      price: { input: 0.15, output: 0.6 },
      maxRetries: 0,
    });
    const done = await run({ ...ctx, sentiment: { scorer: llm, budgetUsd: 0 } }, '2024-01-19', '2024-01-16');
    expect(fake.requests).toHaveLength(0);
    expect(done.status).toBe('partial');
    expect(done.summary.pending).toBeGreaterThan(0);
    const [{ n }] =
      (await db.sql`select count(*)::int as n from news_sentiment where scorer_version = ${llm.version}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(0);
  });
});

describe('shortlist news scoring and the sentiment API', () => {
  it('re-ranks a shortlist by its news up to the close, with the reasons, and stores it', async () => {
    const lexicon = ctx.sentiment!.scorer;
    const rows = await scoreShortlist(db.sql, lexicon, {
      listId: 'watch',
      date: '2024-01-19',
      assetType: 'equity',
      symbols: ['BBB', 'CCC', 'AAA'],
      days: 7,
    });
    const by = Object.fromEntries(rows.map((r) => [r.symbol, r]));
    // CCC has no news: it abstains and keeps its base score; BBB's bankruptcy weighs on it.
    expect(by.CCC).toMatchObject({ news_score: null, article_count: 0, reasons: [] });
    expect(by.BBB!.news_score!).toBeLessThan(0);
    expect(by.BBB!.reasons[0]!.headline).toBe('BBB files for bankruptcy');
    // The order is base score 1 − (base rank − 1) / n plus half the news score.
    const total = (r: (typeof rows)[number]) => 1 - (r.base_rank - 1) / 3 + 0.5 * (r.news_score ?? 0);
    expect(rows.map((r) => r.symbol)).toEqual(
      [...rows].sort((a, b) => total(b) - total(a)).map((r) => r.symbol),
    );
    // AAA's after-close record-revenue story counts for the next session: not read on the 19th.
    expect(by.AAA!.reasons.map((r) => r.headline)).not.toContain('AAA posts record revenue');
    expect(by.AAA!.article_count).toBe(2);
    expect(rows.map((r) => r.rank).sort()).toEqual([1, 2, 3]);
    const stored = await db.sql`select count(*)::int as n from sentiment_shortlists where list_id = 'watch'`;
    expect(stored[0]!.n).toBe(3);
    await expect(
      scoreShortlist(db.sql, lexicon, {
        listId: 'watch',
        date: '2024-01-19',
        assetType: 'equity',
        symbols: ['NOPE'],
      }),
    ).rejects.toThrow(/unknown equity symbol\(s\): NOPE/);
  });

  it('serves the daily series and the shortlist over control-api', async () => {
    const app = createApp(ctx);
    const get = (path: string) => app.request(`/control-api${path}`, { headers: AS.reader });
    const series = await get('/sentiment/equity/aaa?from=2024-01-01&to=2024-01-31');
    expect(series.status).toBe(200);
    const body = (await series.json()) as { symbol: string; items: { date: string; news_count: number }[] };
    expect(body.symbol).toBe('AAA');
    expect(body.items.map((i) => i.date)).toEqual(['2024-01-17', '2024-01-18', '2024-01-19']);
    expect((await get('/sentiment/equity/ZZZZ')).status).toBe(404);
    expect((await get('/sentiment/bonds/AAA')).status).toBe(400);
    expect((await get('/sentiment/equity/AAA?from=2024-02-30')).status).toBe(400);
    const list = await get('/sentiment/shortlists?list=watch');
    expect(list.status).toBe(200);
    const shortlist = (await list.json()) as { date: string; items: { symbol: string; rank: number }[] };
    expect(shortlist.date).toBe('2024-01-19');
    expect(shortlist.items.map((i) => i.rank)).toEqual([1, 2, 3]);
    expect((await get('/sentiment/shortlists?list=Bad%20Id')).status).toBe(400);
    expect(await (await get('/sentiment/shortlists?list=none')).json()).toEqual({
      list: 'none',
      date: null,
      items: [],
    });
  });

  it('runs `stratos shortlist` from the CLI', async () => {
    vi.stubEnv('DATABASE_URL', db.url);
    vi.stubEnv('OPENAI_API_KEY', '');
    try {
      const res = await stratos('shortlist', '--symbols', 'AAA,CCC', '--date', '2024-01-19', '--list', 'cli');
      expect(res.code, res.output).toBe(0);
      expect(res.output).toMatch(/lexicon-v1/);
      expect(res.output).toMatch(/AAA/);
      expect((await stratos('shortlist', '--date', '2024-13-01')).code).toBe(2);
      expect(
        (await stratos('shortlist', '--symbols', 'AAA', '--days', '0', '--date', '2024-01-19')).code,
      ).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
