// News sentiment speed: `npm run bench -- --only sentiment`. The finance lexicon over 10,000 headlines
// on one core against a plain anchor measured in the same run (tokenise and look every word up in one
// Set), and the LLM scorer over 1,000 articles against the local fake OpenAI server answering each call
// in about 2 s (batching and concurrency make the difference), then the unchanged rerun through the
// content-hash cache, which must make no call at all.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { memoryCache, scoreCached } from '../../shared/news/score/cache.ts';
import { parseCsv } from '../../shared/news/score/csv.ts';
import { scoreLexicon } from '../../shared/news/score/lexicon.ts';
import { createLlmScorer } from '../../shared/news/score/llm.ts';
import type { ScoreArticle } from '../../shared/news/score/types.ts';
import { type FakeRequest, startFakeOpenAi } from '../../test/support/fake-openai.ts';
import { ROOT } from '../local/database.ts';
import { bestOfRounds } from './measure.ts';
import { ms, num, ratio, table } from './report.ts';

/** One line of the closing summary. */
export interface SentimentVerdict {
  target: string;
  result: string;
  pass: boolean;
}

const HEADLINES = 10_000;
const LEXICON_TARGET_MS = 1000;
const ARTICLES = 1000;
const CALL_MS = 2000;
const LLM_TARGET_MS = 60_000;
const BATCH = 10;
const CONCURRENCY = 8;

/** 10,000 distinct headlines: the labelled fixture's sentences under varying tickers and numbers. */
function headlines(): string[] {
  const fixture = parseCsv(readFileSync(`${ROOT}/test/news/sentiment/fixture/sentences.csv`, 'utf8'))
    .slice(1)
    .map((r) => r[1]!);
  return Array.from({ length: HEADLINES }, (_, i) => {
    const s = fixture[i % fixture.length]!;
    return `${s} (T${i % 500}, ${((i * 37) % 1000) / 10}%)`;
  });
}

// The anchor: the least any word-list scorer does per headline.
const ANCHOR_WORDS = new Set([
  'beats',
  'misses',
  'raises',
  'cuts',
  'rose',
  'fell',
  'loss',
  'profit',
  'strong',
  'weak',
]);
function anchor(texts: readonly string[]): number {
  let hits = 0;
  for (const t of texts)
    for (const w of t.toLowerCase().match(/[a-z]+/g) ?? []) if (ANCHOR_WORDS.has(w)) hits++;
  return hits;
}

/** Runs the section; returns its verdicts. */
export async function benchSentiment(): Promise<SentimentVerdict[]> {
  const texts = headlines();
  let sink = 0;
  const [lexMs, anchorMs] = bestOfRounds(
    [
      () => {
        for (const t of texts) sink += scoreLexicon(t).score;
      },
      () => {
        sink += anchor(texts);
      },
    ],
    5,
  );
  console.log(
    table(
      ['10,000 headlines, one core', 'best ms', 'per headline', 'vs anchor'],
      [
        [
          'anchor: tokenise + one Set lookup per word',
          num(anchorMs!),
          `${num((anchorMs! * 1000) / HEADLINES)} µs`,
          '1x',
        ],
        [
          'finance lexicon (lexicon-v1)',
          num(lexMs!),
          `${num((lexMs! * 1000) / HEADLINES)} µs`,
          ratio(lexMs! / anchorMs!),
        ],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  );

  // The fake analyst: every (article, ticker) asked, after CALL_MS.
  const fake = await startFakeOpenAi((request: FakeRequest) => {
    const content: string = request.body.messages[1].content;
    const asked: { article_id: string; tickers: string[] }[] = JSON.parse(
      content.slice(content.indexOf('\n') + 1),
    );
    const results = asked.flatMap((a) =>
      a.tickers.map((ticker) => ({
        article_id: a.article_id,
        ticker,
        score: 0.25,
        relevance: 0.8,
        impact: 0.3,
      })),
    );
    return {
      delayMs: CALL_MS,
      content: JSON.stringify({ results }),
      usage: { prompt: 2500, completion: 400 },
    };
  });
  try {
    const scorer = createLlmScorer({
      apiKey: 'sk-bench',
      baseURL: fake.baseURL,
      model: 'gpt-4.1-mini',
      price: { input: 0.4, output: 1.6 },
      batchSize: BATCH,
      concurrency: CONCURRENCY,
    });
    const articles: ScoreArticle[] = Array.from({ length: ARTICLES }, (_, i) => ({
      id: String(i),
      title: texts[i]!,
      text: `${texts[(i * 7) % HEADLINES]} ${texts[(i * 13) % HEADLINES]}`,
      tickers: i % 3 === 0 ? ['AAA', 'BBB'] : ['AAA'],
    }));
    const cache = memoryCache();
    const t0 = performance.now();
    const first = await scoreCached(scorer, articles, cache);
    const firstMs = performance.now() - t0;
    const calls = fake.requests.length;
    const t1 = performance.now();
    const second = await scoreCached(scorer, articles, cache);
    const secondMs = performance.now() - t1;
    const ideal = Math.ceil(ARTICLES / BATCH / CONCURRENCY) * CALL_MS;
    const valid = first.scores.filter((s) => s.status === 'valid').length;
    const usd = first.scores.reduce((s, x) => s + x.costUsd, 0);
    console.log(
      `\n${table(
        ['1,000 articles, fake LLM ~2 s per call', 'ms', 'calls', 'valid', 'cache hits', 'USD', 'vs ideal'],
        [
          [
            `ideal: ${ARTICLES / BATCH} calls / ${CONCURRENCY} in flight x ${CALL_MS} ms`,
            num(ideal),
            '',
            '',
            '',
            '',
            '1x',
          ],
          [
            'first run',
            num(firstMs),
            String(calls),
            String(valid),
            String(first.cacheHits),
            usd.toFixed(4),
            ratio(firstMs / ideal),
          ],
          [
            'unchanged rerun',
            num(secondMs),
            String(fake.requests.length - calls),
            String(second.scores.length),
            `${second.cacheHits}/${ARTICLES}`,
            '0',
            '',
          ],
        ],
        ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
      )}`,
    );
    if (!Number.isFinite(sink)) throw new Error('the lexicon produced a non-finite score');
    console.log(
      `\nload average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    return [
      {
        target: `lexicon: ${HEADLINES.toLocaleString('en')} headlines < ${LEXICON_TARGET_MS / 1000} s on one core`,
        result: `${ms(lexMs!)} (${ratio(lexMs! / anchorMs!)} the word-lookup anchor)`,
        pass: lexMs! < LEXICON_TARGET_MS,
      },
      {
        target: `LLM: ${ARTICLES.toLocaleString('en')} articles, ~2 s per call < ${LLM_TARGET_MS / 1000} s`,
        result: `${ms(firstMs)} in ${calls} calls, ${valid} valid`,
        pass: firstMs < LLM_TARGET_MS && valid === first.scores.length && first.scores.length > 0,
      },
      {
        target: 'LLM: unchanged rerun is 100% cache hits',
        result: `${second.cacheHits}/${ARTICLES} hits, ${fake.requests.length - calls} calls`,
        pass: second.cacheHits === ARTICLES && fake.requests.length === calls,
      },
    ];
  } finally {
    await fake.close();
  }
}
