import { connect } from './db/client.ts';
import type { AssetType } from './domain/market.ts';
import { AppError } from './errors/index.ts';
import type { PipelineContext } from './pipeline/types.ts';
import { createProvider, PROVIDER_IDS } from './providers/registry.ts';
import type { MarketDataProvider } from './providers/types.ts';
import { createOpenAiReviewer } from './review/openai.ts';
import type { Reviewer } from './review/reviewer.ts';
import { createRulesReviewer } from './review/rules.ts';

/** Environment as a plain record: Deno.env.toObject() or process.env. */
export type Env = Record<string, string | undefined>;

/** Every variable Stratos reads, with its default; `.env.example` mirrors this list. */
export const ENV_DEFAULTS = {
  DATABASE_URL: '',
  STRATOS_CRYPTO_PROVIDERS: 'demo',
  STRATOS_EQUITY_PROVIDERS: 'demo',
  STRATOS_REVIEW_LIMIT: '25',
  STRATOS_LEASE_SECONDS: '120',
  STRATOS_BENCHMARK_CRYPTO: 'BTC',
  STRATOS_BENCHMARK_EQUITY: 'SPY',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  OPENAI_MODEL: 'gpt-4.1-mini',
} as const;

function setting(env: Env, name: keyof typeof ENV_DEFAULTS): string {
  const value = env[name];
  return value === undefined || value === '' ? ENV_DEFAULTS[name] : value;
}

function positiveInt(env: Env, name: keyof typeof ENV_DEFAULTS): number {
  const n = Number(setting(env, name));
  if (!Number.isInteger(n) || n <= 0)
    throw new AppError('invalid_input', `${name} must be a positive integer`);
  return n;
}

/** Parses a provider order such as "demo" or "csv,demo" into provider instances. */
export function providerChain(spec: string): MarketDataProvider[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((id) => {
      const provider = createProvider(id);
      if (!provider) {
        throw new AppError('invalid_input', `unknown provider "${id}" (known: ${PROVIDER_IDS.join(', ')})`);
      }
      return provider;
    });
}

/** Benchmark symbol per market (BTC and SPY unless configured). */
export function benchmarksFromEnv(env: Env): Record<AssetType, string> {
  return {
    crypto: setting(env, 'STRATOS_BENCHMARK_CRYPTO').toUpperCase(),
    equity: setting(env, 'STRATOS_BENCHMARK_EQUITY').toUpperCase(),
  };
}

/** The reviewer the environment asks for: the LLM when a key is set, else the rules reviewer. */
export function reviewerFromEnv(env: Env): Reviewer {
  const apiKey = setting(env, 'OPENAI_API_KEY');
  if (!apiKey) return createRulesReviewer();
  const baseURL = setting(env, 'OPENAI_BASE_URL');
  return createOpenAiReviewer({
    apiKey,
    model: setting(env, 'OPENAI_MODEL'),
    ...(baseURL ? { baseURL } : {}),
  });
}

/** Builds the pipeline context from the environment; the one place configuration is read. */
export function createContext(env: Env, overrides: Partial<PipelineContext> = {}): PipelineContext {
  const url = env.DATABASE_URL || env.SUPABASE_DB_URL;
  if (!overrides.sql && !url)
    throw new AppError('invalid_input', 'DATABASE_URL (or SUPABASE_DB_URL) is not set');
  const chains: Record<AssetType, MarketDataProvider[]> = {
    crypto: providerChain(setting(env, 'STRATOS_CRYPTO_PROVIDERS')),
    equity: providerChain(setting(env, 'STRATOS_EQUITY_PROVIDERS')),
  };
  return {
    sql: overrides.sql ?? connect(url!),
    providers: (assetType) => chains[assetType],
    reviewer: reviewerFromEnv(env),
    log: () => {},
    leaseSeconds: positiveInt(env, 'STRATOS_LEASE_SECONDS'),
    reviewLimit: positiveInt(env, 'STRATOS_REVIEW_LIMIT'),
    benchmarks: benchmarksFromEnv(env),
    ...overrides,
  };
}
