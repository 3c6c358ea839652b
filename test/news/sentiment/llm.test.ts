import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryCache, scoreCached } from '../../../shared/news/score/cache.ts';
import { parseCsv } from '../../../shared/news/score/csv.ts';
import { createLlmScorer } from '../../../shared/news/score/llm.ts';
import type { ScoreArticle } from '../../../shared/news/score/types.ts';
import { stratos } from '../../support/cli.ts';
import {
  type FakeOpenAi,
  type FakeReply,
  type FakeRequest,
  startFakeOpenAi,
} from '../../support/fake-openai.ts';

interface Asked {
  article_id: string;
  tickers: string[];
  title: string;
}
/** The articles a request asked about, read back from the user message. */
function asked(request: FakeRequest): Asked[] {
  const content: string = request.body.messages[1].content;
  return JSON.parse(content.slice(content.indexOf('\n') + 1));
}
/** A well-behaved analyst: +0.6 for titles with "beats", −0.6 with "misses", else 0. */
function analyst(request: FakeRequest): FakeReply {
  const results = asked(request).flatMap((a) =>
    a.tickers.map((ticker) => ({
      article_id: a.article_id,
      ticker,
      score: /beats/.test(a.title) ? 0.6 : /misses/.test(a.title) ? -0.6 : 0,
      relevance: 0.9,
      impact: 0.5,
    })),
  );
  return { content: JSON.stringify({ results }), usage: { prompt: 1000, completion: 200 } };
}

const articles = (n: number): ScoreArticle[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `a${i}`,
    title: i % 2 === 0 ? `Company ${i} beats estimates` : `Company ${i} misses estimates`,
    text: `Body of article ${i}.`,
    tickers: ['AAA', 'BBB'],
  }));

const PRICE = { input: 1, output: 2 }; // USD per 1M tokens: a call of 1000 + 200 tokens costs $0.0014.

let fake: FakeOpenAi | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const scorerFor = (f: FakeOpenAi, extra: Partial<Parameters<typeof createLlmScorer>[0]> = {}) =>
  createLlmScorer({
    apiKey: 'sk-test-secret',
    baseURL: f.baseURL,
    model: 'gpt-4.1-mini',
    price: PRICE,
    maxRetries: 1,
    timeoutMs: 5000,
    ...extra,
  });

describe('LLM news scorer', () => {
  it('scores several articles per call in the strict response format, with the cost split per article × ticker', async () => {
    fake = await startFakeOpenAi(analyst);
    const scorer = scorerFor(fake, { batchSize: 4, concurrency: 2 });
    const batch = await scorer.score(articles(10));
    expect(fake.requests).toHaveLength(3);
    const format = fake.requests[0]!.body.response_format;
    expect(format.type).toBe('json_schema');
    expect(format.json_schema.strict).toBe(true);
    // Ranges are zod's job: no minimum/maximum keywords an endpoint could reject.
    expect(JSON.stringify(format)).not.toMatch(/minimum|maximum/);
    expect(batch.scores).toHaveLength(20);
    expect(batch.scores.every((s) => s.status === 'valid')).toBe(true);
    const a0 = batch.scores.find((s) => s.articleId === 'a0' && s.ticker === 'AAA')!;
    expect(a0).toMatchObject({ score: 0.6, relevance: 0.9, impact: 0.5, reason: null });
    // 4 articles × 2 tickers share one call's $0.0014.
    expect(a0.costUsd).toBeCloseTo(0.0014 / 8, 10);
    expect(scorer.version).toBe('news-llm-v1:gpt-4.1-mini');
  });

  it('stores out-of-range, ungrounded and missing answers as invalid with the reason, never as 0', async () => {
    fake = await startFakeOpenAi(() => ({
      content: JSON.stringify({
        results: [
          { article_id: 'a0', ticker: 'AAA', score: 1.7, relevance: 0.5, impact: 0.5 },
          { article_id: 'a0', ticker: 'ZZZ', score: 0.2, relevance: 0.5, impact: 0.5 },
          { article_id: 'nope', ticker: 'AAA', score: 0.2, relevance: 0.5, impact: 0.5 },
          { article_id: 'a1', ticker: 'aaa', score: -0.4, relevance: 0.5, impact: 0.2 },
        ],
      }),
    }));
    const batch = await scorerFor(fake).score(articles(2));
    const by = Object.fromEntries(batch.scores.map((s) => [`${s.articleId}:${s.ticker}`, s]));
    expect(by['a0:AAA']).toMatchObject({ status: 'invalid', score: null });
    expect(by['a0:AAA']!.reason).toMatch(/out of range.*score/);
    expect(by['a0:BBB']).toMatchObject({ status: 'invalid', score: null });
    expect(by['a0:BBB']!.reason).toMatch(/no result for this ticker.*ZZZ.*not mentioned/);
    expect(by['a1:BBB']!.reason).toMatch(/unknown article id "nope"/);
    // Ticker case is not a grounding failure.
    expect(by['a1:AAA']).toMatchObject({ status: 'valid', score: -0.4 });
  });

  it('stores a non-JSON, cut-off or refused answer as invalid for every pair of the call', async () => {
    fake = await startFakeOpenAi(() => ({ content: '{"results": [', finishReason: 'length' }));
    const batch = await scorerFor(fake).score(articles(2));
    expect(batch.scores).toHaveLength(4);
    for (const s of batch.scores) {
      expect(s).toMatchObject({ status: 'invalid', score: null });
      expect(s.reason).toMatch(/not valid JSON \(cut off at the token limit\)/);
    }
  });

  it('retries a 429 with Retry-After, and reports a 400 wrapped in an array with its message, key never echoed', async () => {
    fake = await startFakeOpenAi((_r, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '0' } } : analyst(_r),
    );
    const ok = await scorerFor(fake).score(articles(1));
    expect(ok.requests).toBe(2);
    expect(ok.scores.every((s) => s.status === 'valid')).toBe(true);
    await fake.close();

    // Gemini's OpenAI-compatible endpoint wraps errors in an array.
    const { serve } = await import('@hono/node-server');
    const server = serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: () =>
        new Response(
          JSON.stringify([
            {
              error: {
                code: 400,
                message: 'Invalid JSON payload sk-test-secret',
                status: 'INVALID_ARGUMENT',
              },
            },
          ]),
          {
            status: 400,
            headers: { 'content-type': 'application/json' },
          },
        ),
    });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const scorer = createLlmScorer({
        apiKey: 'sk-test-secret',
        baseURL: `http://127.0.0.1:${port}/v1`,
        model: 'gemini-2.0-flash',
        price: null,
        maxRetries: 0,
      });
      const failed = await scorer.score(articles(1));
      expect(failed.scores).toHaveLength(0);
      expect(failed.errors).toHaveLength(1);
      expect(failed.errors[0]!.retryable).toBe(false);
      expect(failed.errors[0]!.error).toMatch(/HTTP 400.*Invalid JSON payload/);
      expect(failed.errors[0]!.error).not.toContain('sk-test-secret');
    } finally {
      server.close();
    }
    fake = null;
  });

  it('stops starting calls once the per-run budget is spent and leaves the rest unscored', async () => {
    fake = await startFakeOpenAi(analyst);
    const batch = await scorerFor(fake, { batchSize: 2, concurrency: 1 }).score(articles(10), { usd: 0.002 });
    // $0.0014 per call: the second call starts at $0.0014 < $0.002, the third at $0.0028 does not.
    expect(fake.requests).toHaveLength(2);
    expect(batch.scores).toHaveLength(8);
    expect(batch.skipped).toEqual(['a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
  });

  it('never pays twice for unchanged news: a rerun is all cache hits, a changed title is asked again', async () => {
    fake = await startFakeOpenAi(analyst);
    const scorer = scorerFor(fake, { batchSize: 5 });
    const cache = memoryCache();
    const list = articles(10);
    const first = await scoreCached(scorer, list, cache);
    expect(first.cacheHits).toBe(0);
    expect(fake.requests).toHaveLength(2);
    const second = await scoreCached(scorer, list, cache);
    expect(second.cacheHits).toBe(10);
    expect(fake.requests).toHaveLength(2);
    expect(second.scores.map((s) => [s.articleId, s.ticker, s.score]).sort()).toEqual(
      first.scores.map((s) => [s.articleId, s.ticker, s.score]).sort(),
    );
    expect(second.scores.every((s) => s.costUsd === 0)).toBe(true);
    const changed = list.map((a, i) => (i === 3 ? { ...a, title: `${a.title} (updated)` } : a));
    const third = await scoreCached(scorer, changed, cache);
    expect(third.cacheHits).toBe(9);
    expect(fake.requests).toHaveLength(3);
  });
});

describe('stratos sentiment-csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sentiment-csv-'));
  afterEach(() => vi.unstubAllEnvs());

  it('adds score, label and status with the lexicon; an empty text abstains', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const input = join(dir, 'in.csv');
    writeFileSync(
      input,
      'id,Headline\n1,"Apple beats estimates, raises dividend"\n2,\n3,"Intel cuts guidance\nafter weak quarter"\n4,The meeting is on Tuesday\n',
    );
    const res = await stratos('sentiment-csv', '--in', input, '--out', join(dir, 'out.csv'));
    expect(res.code, res.output).toBe(0);
    expect(res.output).toMatch(/lexicon-v1.*3 valid, 1 empty/);
    const rows = parseCsv(readFileSync(join(dir, 'out.csv'), 'utf8'));
    expect(rows[0]).toEqual(['id', 'Headline', 'score', 'label', 'status']);
    expect(rows[1]!.slice(3)).toEqual(['positive', 'valid']);
    expect(rows[2]!.slice(2)).toEqual(['', '', 'empty']);
    expect(rows[3]![1]).toBe('Intel cuts guidance\nafter weak quarter');
    expect(rows[3]!.slice(3)).toEqual(['negative', 'valid']);
    expect(rows[4]!.slice(2)).toEqual(['0.0000', 'neutral', 'valid']);
    expect(Number(rows[1]![2])).toBeGreaterThan(0);
  });

  it('scores with the LLM over HTTP when asked', async () => {
    fake = await startFakeOpenAi(analyst);
    vi.stubEnv('OPENAI_API_KEY', 'sk-x');
    vi.stubEnv('OPENAI_BASE_URL', fake.baseURL);
    const input = join(dir, 'llm.csv');
    writeFileSync(input, 'title,ticker\nAAA beats estimates,AAA\nBBB misses estimates,bbb\n');
    const out = join(dir, 'llm-out.csv');
    const res = await stratos('sentiment-csv', '--in', input, '--out', out, '--scorer', 'llm');
    expect(res.code, res.output).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows.slice(1).map((r) => r.slice(2))).toEqual([
      ['0.6000', 'positive', 'valid'],
      ['-0.6000', 'negative', 'valid'],
    ]);
    expect(asked(fake.requests[0]!).map((a) => a.tickers)).toEqual([['AAA'], ['BBB']]);
  });

  it('exits 2 with one line for a missing text column, a bad scorer or a missing file', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const input = join(dir, 'bad.csv');
    writeFileSync(input, 'a,b\n1,2\n');
    const noText = await stratos('sentiment-csv', '--in', input, '--out', join(dir, 'x.csv'));
    expect(noText.code).toBe(2);
    expect(noText.output.trim().split('\n')).toHaveLength(1);
    expect(noText.output).toMatch(/no text, content, headline, title column/);
    expect(
      (await stratos('sentiment-csv', '--in', input, '--out', join(dir, 'x.csv'), '--scorer', 'vader')).code,
    ).toBe(2);
    expect(
      (await stratos('sentiment-csv', '--in', join(dir, 'missing.csv'), '--out', join(dir, 'x.csv'))).code,
    ).toBe(2);
    expect((await stratos('sentiment-csv', '--in', input)).code).toBe(2);
    expect(
      (await stratos('sentiment-csv', '--in', input, '--out', join(dir, 'x.csv'), '--scorer', 'llm')).code,
    ).toBe(2);
  });
});
