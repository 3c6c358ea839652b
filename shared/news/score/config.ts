import type { Env } from '../../config.ts';
import { AppError } from '../../errors/index.ts';
import { listPrice } from '../../review/pricing.ts';
import { createLexiconScorer } from './lexicon.ts';
import { createLlmScorer } from './llm.ts';
import type { SentimentScorer } from './types.ts';

/** The sentiment variables and their defaults (`.env.example` lists them with the others). */
const DEFAULTS = {
  // auto: the LLM when OPENAI_API_KEY is set, else the lexicon.
  STRATOS_SENTIMENT_SCORER: 'auto',
  STRATOS_SENTIMENT_BATCH: '10',
  STRATOS_SENTIMENT_CONCURRENCY: '8',
  STRATOS_SENTIMENT_TIMEOUT_MS: '60000',
  // USD per sentiment run; '' = unlimited.
  STRATOS_SENTIMENT_BUDGET_USD: '',
  OPENAI_MODEL: 'gpt-4.1-mini',
} as const;

const read = (env: Env, name: keyof typeof DEFAULTS) => {
  const v = env[name];
  return v === undefined || v === '' ? DEFAULTS[name] : v;
};

function positiveInt(env: Env, name: keyof typeof DEFAULTS): number {
  const n = Number(read(env, name));
  if (!Number.isInteger(n) || n <= 0)
    throw new AppError('invalid_input', `${name} must be a positive integer`);
  return n;
}

/**
 * The scorer the environment asks for (`kind` overrides STRATOS_SENTIMENT_SCORER): the LLM with
 * OPENAI_API_KEY (OPENAI_BASE_URL, OPENAI_MODEL as for reviews), else the lexicon. Asking for the
 * LLM without a key is an error, not a silent fallback.
 */
export function sentimentScorerFromEnv(env: Env, kind?: string): SentimentScorer {
  const choice = kind ?? read(env, 'STRATOS_SENTIMENT_SCORER');
  if (choice !== 'auto' && choice !== 'lexicon' && choice !== 'llm') {
    throw new AppError('invalid_input', `sentiment scorer must be auto, lexicon or llm, got "${choice}"`);
  }
  const apiKey = env.OPENAI_API_KEY ?? '';
  if (choice === 'lexicon' || (choice === 'auto' && !apiKey)) return createLexiconScorer();
  if (!apiKey) throw new AppError('invalid_input', 'the llm sentiment scorer needs OPENAI_API_KEY');
  const model = read(env, 'OPENAI_MODEL');
  const baseURL = env.OPENAI_BASE_URL ?? '';
  const priceIn = Number(env.STRATOS_REVIEW_PRICE_IN ?? '');
  const priceOut = Number(env.STRATOS_REVIEW_PRICE_OUT ?? '');
  const override =
    env.STRATOS_REVIEW_PRICE_IN && env.STRATOS_REVIEW_PRICE_OUT && priceIn >= 0 && priceOut >= 0
      ? { input: priceIn, output: priceOut }
      : null;
  return createLlmScorer({
    apiKey,
    model,
    ...(baseURL ? { baseURL } : {}),
    batchSize: positiveInt(env, 'STRATOS_SENTIMENT_BATCH'),
    concurrency: positiveInt(env, 'STRATOS_SENTIMENT_CONCURRENCY'),
    timeoutMs: positiveInt(env, 'STRATOS_SENTIMENT_TIMEOUT_MS'),
    price: override ?? listPrice(model),
  });
}

/** The per-run USD budget of the sentiment stage (STRATOS_SENTIMENT_BUDGET_USD); null: unlimited. */
export function sentimentBudgetFromEnv(env: Env): number | null {
  const raw = read(env, 'STRATOS_SENTIMENT_BUDGET_USD');
  if (raw === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new AppError('invalid_input', 'STRATOS_SENTIMENT_BUDGET_USD must be a number, 0 or more');
  }
  return n;
}
