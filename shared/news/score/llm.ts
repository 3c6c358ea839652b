import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { describeLlmFailure } from '../../review/openai.ts';
import { type ModelPrice, reviewCost } from '../../review/pricing.ts';
import type { MentionScore, ScoreArticle, ScoreBatch, SentimentScorer } from './types.ts';

/** The prompt's version: part of the scorer version, so a new prompt rescores (and repays) everything. */
export const LLM_PROMPT_VERSION = 'news-llm-v1';

/** Where and how to reach an OpenAI-compatible endpoint, and how to spend on it. */
export interface LlmScorerOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Per request, before the SDK retries it. */
  timeoutMs?: number;
  /** SDK retries on 408/409/429/5xx and connection errors, honouring Retry-After. */
  maxRetries?: number;
  /** Articles per call (default 10): the instructions and schema are paid once per call, not per article. */
  batchSize?: number;
  /** Calls in flight at once (default 8). */
  concurrency?: number;
  /** USD per 1M tokens; null: unknown (costs stored null-free as 0 and the budget cannot bind). */
  price: ModelPrice | null;
  /** Characters of an article's text sent (default 1,500): the headline and lede carry the news. */
  maxChars?: number;
  fetch?: typeof fetch;
}

// Sent as the strict response format. Ranges are not in it: some OpenAI-compatible endpoints reject
// minimum/maximum keywords, so zod enforces them on the way back (ScoreItem).
const AnswerFormat = z.strictObject({
  results: z.array(
    z.strictObject({
      article_id: z.string().describe('The id of the article, as given'),
      ticker: z.string().describe('One of the tickers listed for that article'),
      score: z.number().describe('-1 (very bad news for the stock) .. 0 (neutral) .. 1 (very good news)'),
      relevance: z.number().describe('0 (mentioned in passing) .. 1 (the article is about this company)'),
      impact: z.number().describe('0 (no likely price effect) .. 1 (likely to move the price strongly)'),
    }),
  ),
});
const RESPONSE_FORMAT = zodResponseFormat(AnswerFormat, 'news_sentiment');
const ScoreItem = z.object({
  article_id: z.string(),
  ticker: z.string(),
  score: z.number().min(-1).max(1),
  relevance: z.number().min(0).max(1),
  impact: z.number().min(0).max(1),
});
const Answer = z.object({ results: z.array(z.unknown()) });

const SYSTEM = `You are a quantitative equity analyst scoring news for a trading system.
For every article and every ticker listed with it, judge what the article means for that company's stock price over the next few days:
- score: -1 (clearly bad news for the stock) to 1 (clearly good news); 0 when neutral or merely descriptive.
- relevance: 0 (the company is mentioned in passing) to 1 (the article is about the company).
- impact: 0 (no likely price effect) to 1 (likely to move the price strongly).
Judge only from the article's text. Answer exactly one result per (article_id, ticker) pair given, using the ids and tickers as written, and no other tickers. A ticker "-" stands for the company the text is mainly about.`;

/** The LLM news scorer: several articles per call, strict structured output, zod ranges, grounding. */
export function createLlmScorer(opts: LlmScorerOptions): SentimentScorer {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    // Explicit nulls keep the SDK from reading OPENAI_* variables: configuration comes from opts only.
    baseURL: opts.baseURL ?? null,
    organization: null,
    project: null,
    timeout: opts.timeoutMs ?? 60_000,
    maxRetries: opts.maxRetries ?? 2,
  });
  const host = new URL(client.baseURL).host;
  const baseFetch = unwrapArrayErrors(opts.fetch ?? fetch);
  const batchSize = opts.batchSize ?? 10;
  const concurrency = opts.concurrency ?? 8;
  const maxChars = opts.maxChars ?? 1500;

  return {
    version: `${LLM_PROMPT_VERSION}:${opts.model}`,
    kind: 'llm',
    description: `LLM news sentiment by ${opts.model} at ${host} (${LLM_PROMPT_VERSION}, ${batchSize} articles per call)`,
    async score(articles, budget): Promise<ScoreBatch> {
      const out: ScoreBatch = { scores: [], skipped: [], errors: [], requests: 0, tokensIn: 0, tokensOut: 0 };
      const batches: ScoreArticle[][] = [];
      for (let i = 0; i < articles.length; i += batchSize) batches.push(articles.slice(i, i + batchSize));
      let spent = 0;
      let next = 0;
      const worker = async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          // Checked before each call: calls already in flight may finish past the limit, new ones do not start.
          if (budget?.usd != null && spent >= budget.usd) {
            for (const a of batch) out.skipped.push(a.id);
            continue;
          }
          const counted = client.withOptions({
            fetch: (url, init) => {
              out.requests++;
              return baseFetch(url, init);
            },
          });
          try {
            const completion = await counted.chat.completions.create({
              model: opts.model,
              messages: [
                { role: 'system', content: SYSTEM },
                { role: 'user', content: userMessage(batch, maxChars) },
              ],
              response_format: RESPONSE_FORMAT,
            });
            const tokensIn = completion.usage?.prompt_tokens ?? 0;
            const tokensOut = completion.usage?.completion_tokens ?? 0;
            out.tokensIn += tokensIn;
            out.tokensOut += tokensOut;
            const cost = reviewCost(opts.price, tokensIn, tokensOut) ?? 0;
            spent += cost;
            const choice = completion.choices[0];
            out.scores.push(
              ...judgeAnswer(
                batch,
                choice?.message.content ?? null,
                choice?.message.refusal ?? null,
                choice?.finish_reason,
                cost,
              ),
            );
          } catch (e) {
            out.errors.push({ articleIds: batch.map((a) => a.id), ...describeError(e, opts) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
      return out;
    },
  };
}

function userMessage(batch: ScoreArticle[], maxChars: number): string {
  const items = batch.map((a) => ({
    article_id: a.id,
    tickers: a.tickers,
    title: a.title,
    text: a.text.length > maxChars ? `${a.text.slice(0, maxChars)}…` : a.text,
  }));
  return `Score these ${batch.length} articles:\n${JSON.stringify(items)}`;
}

/**
 * Turns one answer into a score per (article, ticker) asked: valid when the answer has exactly one
 * in-range result for it, else invalid with the reason. Answers for ids or tickers not asked about
 * are ungrounded: they are not stored, and the reason says so on the pairs they left unanswered.
 */
function judgeAnswer(
  batch: ScoreArticle[],
  content: string | null,
  refusal: string | null,
  finishReason: string | undefined,
  callCost: number,
): MentionScore[] {
  const pairs = batch.flatMap((a) => a.tickers.map((ticker) => ({ articleId: a.id, ticker })));
  const costEach = pairs.length > 0 ? Math.round((callCost / pairs.length) * 1e8) / 1e8 : 0;
  const invalid = (articleId: string, ticker: string, reason: string): MentionScore => ({
    articleId,
    ticker,
    status: 'invalid',
    score: null,
    relevance: null,
    impact: null,
    reason,
    costUsd: costEach,
  });
  const allInvalid = (reason: string) => pairs.map((p) => invalid(p.articleId, p.ticker, reason));
  if (refusal) return allInvalid(`model refused: ${refusal.slice(0, 200)}`);
  if (!content) return allInvalid('empty answer');
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (e) {
    const cut = finishReason === 'length' ? ' (cut off at the token limit)' : '';
    return allInvalid(`answer is not valid JSON${cut}: ${(e as Error).message.slice(0, 120)}`);
  }
  const envelope = Answer.safeParse(parsed);
  if (!envelope.success) return allInvalid('answer has no results array');

  const asked = new Map(batch.map((a) => [a.id, new Set(a.tickers)]));
  const found = new Map<string, MentionScore | string>();
  const ungrounded: string[] = [];
  for (const raw of envelope.data.results) {
    const item = ScoreItem.safeParse(raw);
    const id =
      typeof (raw as { article_id?: unknown })?.article_id === 'string'
        ? (raw as { article_id: string }).article_id
        : null;
    const ticker =
      typeof (raw as { ticker?: unknown })?.ticker === 'string'
        ? (raw as { ticker: string }).ticker.toUpperCase()
        : null;
    if (id === null || ticker === null) {
      ungrounded.push('a result without article_id or ticker');
      continue;
    }
    const tickers = asked.get(id);
    if (!tickers) {
      ungrounded.push(`unknown article id ${JSON.stringify(id.slice(0, 40))}`);
      continue;
    }
    if (!tickers.has(ticker)) {
      ungrounded.push(`ticker ${JSON.stringify(ticker.slice(0, 12))} not mentioned in article ${id}`);
      continue;
    }
    const key = `${id}\u0000${ticker}`;
    if (found.has(key)) {
      found.set(key, 'answered more than once');
      continue;
    }
    if (!item.success) {
      const issues = item.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      found.set(key, `out of range or malformed: ${issues.slice(0, 200)}`);
      continue;
    }
    found.set(key, {
      articleId: id,
      ticker,
      status: 'valid',
      score: item.data.score,
      relevance: item.data.relevance,
      impact: item.data.impact,
      reason: null,
      costUsd: costEach,
    });
  }
  const note = ungrounded.length > 0 ? ` (the answer had ${ungrounded.slice(0, 3).join(', ')})` : '';
  return pairs.map((p) => {
    const hit = found.get(`${p.articleId}\u0000${p.ticker}`);
    if (hit === undefined) return invalid(p.articleId, p.ticker, `no result for this ticker${note}`);
    if (typeof hit === 'string') return invalid(p.articleId, p.ticker, hit);
    return hit;
  });
}

// Some OpenAI-compatible endpoints (Gemini's) send errors as `[{"error": {...}}]`; the SDK reads only
// an object's `error`, so the array is unwrapped first and the status and message survive.
function unwrapArrayErrors(base: typeof fetch): typeof fetch {
  return async (url, init) => {
    const response = await base(url, init);
    if (response.ok) return response;
    const text = await response.text();
    let body = text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.length > 0) body = JSON.stringify(parsed[0]);
    } catch {
      // Not JSON: passed on as is.
    }
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** One line on a failed call, key masked, and whether a later run may succeed. */
function describeError(e: unknown, opts: LlmScorerOptions): { error: string; retryable: boolean } {
  const { kind, detail, retryable } = describeLlmFailure(e, opts.apiKey);
  return { error: `LLM scoring with ${opts.model} failed (${kind}): ${detail}`, retryable };
}
