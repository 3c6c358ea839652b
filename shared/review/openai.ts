import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { AppError } from '../errors/index.ts';
import { checkGrounding } from './grounding.ts';
import { buildMessages, type ChatMessage, currentPrompt } from './prompt.ts';
import type { Reviewer, ReviewOutcome } from './reviewer.ts';
import { AiReview } from './schema.ts';
import type { ReviewInput } from './types.ts';

/** Where and how to reach an OpenAI-compatible chat completions endpoint. */
export interface OpenAiReviewerOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Per request, before the SDK retries it. */
  timeoutMs?: number;
  /** SDK retries on 408/409/429/5xx and connection errors, honouring Retry-After; each one is an attempt. */
  maxRetries?: number;
  fetch?: typeof fetch;
}

// Built once: the SDK helper turns the zod 4 schema into a strict json_schema response format.
const RESPONSE_FORMAT = zodResponseFormat(AiReview, 'ai_review');
/** Answers asked for per review: the first, and one corrective retry. */
const MAX_ANSWERS = 2;
const MAX_REASONS = 12;

/** The LLM reviewer: strict structured output, zod validation, grounding check, one corrective retry. */
export function createOpenAiReviewer(opts: OpenAiReviewerOptions): Reviewer {
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
  const baseFetch = opts.fetch ?? fetch;

  return {
    model: opts.model,
    promptVersion: currentPrompt.version,
    description: `LLM review by ${opts.model} at ${host} (structured outputs, ${currentPrompt.version})`,
    async review(input: ReviewInput): Promise<ReviewOutcome> {
      const started = performance.now();
      // The SDK retries 429s, 5xx and timeouts inside one create() call; counting at the fetch it calls
      // makes every HTTP request of this review show up in `attempts`, whoever retried it.
      let requests = 0;
      const counted = client.withOptions({
        fetch: (url, init) => {
          requests++;
          return baseFetch(url, init);
        },
      });
      const messages: ChatMessage[] = buildMessages(input);
      let tokensIn = 0;
      let tokensOut = 0;
      let rejected: Judged | null = null;
      const outcome = (judged: Judged, reasons = judged.reasons): ReviewOutcome => ({
        status: judged.review ? 'valid' : 'invalid',
        review: judged.review,
        raw: judged.raw,
        reasons,
        tokensIn,
        tokensOut,
        latencyMs: Math.round(performance.now() - started),
        attempts: requests,
      });
      for (let answer = 1; ; answer++) {
        let completion: Awaited<ReturnType<typeof complete>>;
        try {
          completion = await complete(counted, opts, messages);
        } catch (e) {
          const error = toReviewError(e, opts, input);
          // A rejected answer was paid for: when its corrective retry cannot be made, the review is
          // stored invalid with those tokens rather than lost as an error that costs nothing.
          if (!rejected) throw error;
          return outcome(rejected, [...rejected.reasons, `corrective retry failed: ${error.message}`]);
        }
        tokensIn += completion.usage?.prompt_tokens ?? 0;
        tokensOut += completion.usage?.completion_tokens ?? 0;
        const choice = completion.choices[0];
        const content = choice?.message.content ?? null;
        const judged = judge(content, choice?.message.refusal ?? null, choice?.finish_reason, input);
        if (judged.review || answer === MAX_ANSWERS) return outcome(judged);
        rejected = judged;
        // The retry sees its own answer and why it was rejected, which fixes most slips in one go.
        if (content) messages.push({ role: 'assistant', content });
        messages.push({
          role: 'user',
          content: `Your answer was rejected:\n${judged.reasons.map((r) => `- ${r}`).join('\n')}\nReturn a corrected JSON review that fixes every point, using only the numbers given.`,
        });
      }
    },
  };
}

interface Judged {
  review: AiReview | null;
  raw: unknown;
  reasons: string[];
}

/** Parses, validates and grounds one answer; a review comes back only when nothing is wrong with it. */
function judge(
  content: string | null,
  refusal: string | null,
  finishReason: string | undefined,
  input: ReviewInput,
): Judged {
  if (refusal) return { review: null, raw: refusal, reasons: [`model refused: ${refusal}`] };
  if (!content) return { review: null, raw: null, reasons: ['empty answer'] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (e) {
    const truncated = finishReason === 'length' ? ' (cut off at the token limit)' : '';
    return {
      review: null,
      raw: content,
      reasons: [`answer is not valid JSON${truncated}: ${(e as Error).message}`],
    };
  }
  const result = AiReview.safeParse(parsed);
  if (!result.success) {
    const reasons = result.error.issues
      .slice(0, MAX_REASONS)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'answer'}: ${i.message}`);
    return { review: null, raw: parsed, reasons };
  }
  const reasons = checkGrounding(result.data, input);
  return { review: reasons.length === 0 ? result.data : null, raw: parsed, reasons };
}

/** One chat completion in the strict response format; the SDK retries transient failures inside it. */
function complete(client: OpenAI, opts: OpenAiReviewerOptions, messages: ChatMessage[]) {
  return client.chat.completions.create({
    model: opts.model,
    messages,
    response_format: RESPONSE_FORMAT,
  });
}

/**
 * What went wrong in a call to an OpenAI-compatible endpoint, in one line with the key masked (the
 * message ends up in job rows and logs that more people read than the key): 429, 5xx, timeouts and
 * dropped connections can pass, a 4xx (bad key, unknown model) will not.
 */
export function describeLlmFailure(
  e: unknown,
  apiKey: string | undefined,
): { kind: string; detail: string; status: number | undefined; retryable: boolean } {
  const status = e instanceof APIError ? e.status : undefined;
  const kind =
    e instanceof APIConnectionTimeoutError
      ? 'timeout'
      : status === undefined
        ? 'connection error'
        : status === 429
          ? 'rate limited'
          : `HTTP ${status}`;
  const retryable =
    status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
  let detail = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
  if (apiKey) detail = detail.split(apiKey).join('***');
  return { kind, detail: detail.slice(0, 300), status, retryable };
}

function toReviewError(e: unknown, opts: OpenAiReviewerOptions, input: ReviewInput): AppError {
  const { kind, detail, status, retryable } = describeLlmFailure(e, opts.apiKey);
  const message = `LLM review of ${input.asset.symbol} with ${opts.model} failed (${kind}): ${detail}`;
  return new AppError(retryable ? 'provider_unavailable' : 'provider_rejected', message, {
    retryable,
    details: { status },
  });
}
