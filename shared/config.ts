import { authFromEnv } from './auth/settings.ts';
import { connect } from './db/client.ts';
import type { AssetType } from './domain/market.ts';
import { AppError } from './errors/index.ts';
import { newsProviders } from './news/providers/registry.ts';
import { sentimentBudgetFromEnv, sentimentScorerFromEnv } from './news/score/config.ts';
import type { DrainBudget, PipelineContext } from './pipeline/types.ts';
import { createProvider, PROVIDER_IDS, type ProviderBuild } from './providers/registry.ts';
import type { MarketDataProvider } from './providers/types.ts';
import { createOpenAiReviewer } from './review/openai.ts';
import { listPrice, PRICED_MODELS } from './review/pricing.ts';
import { DEFAULT_MAX_ENTRY_ATR, type Reviewer } from './review/reviewer.ts';
import { createRulesReviewer } from './review/rules.ts';
import type { ReviewSettings } from './review/settings.ts';

/** Environment as a plain record: Deno.env.toObject() or process.env. */
export type Env = Record<string, string | undefined>;

/** Every variable Stratos reads, with its default; `.env.example` mirrors this list. */
export const ENV_DEFAULTS = {
  DATABASE_URL: '',
  STRATOS_CRYPTO_PROVIDERS: 'demo',
  STRATOS_EQUITY_PROVIDERS: 'demo',
  // Provider keys and base URLs, read by providers/registry.ts ('' = no key / the public URL).
  COINGECKO_API_KEY: '',
  COINGECKO_BASE_URL: '',
  ALPACA_API_KEY_ID: '',
  ALPACA_API_SECRET_KEY: '',
  ALPACA_DATA_BASE_URL: '',
  ALPACA_DATA_FEED: '',
  POLYGON_API_KEY: '',
  POLYGON_BASE_URL: '',
  TIINGO_API_KEY: '',
  TIINGO_BASE_URL: '',
  YAHOO_BASE_URL: '',
  // News sources for the news stage (shared/news/providers/registry.ts); tiingo reuses TIINGO_API_KEY.
  STRATOS_NEWS_PROVIDERS: 'demo',
  STRATOS_NEWS_DAYS: '2',
  MARKETAUX_API_KEY: '',
  MARKETAUX_BASE_URL: '',
  MARKETAUX_DAILY_REQUESTS: '',
  MARKETAUX_PAGE_SIZE: '',
  // Broker accounts, read by brokers/registry.ts: Alpaca's paper account uses the ALPACA_API_* keys
  // above; a live portfolio needs the live ones ('' = that broker is not configured).
  ALPACA_LIVE_API_KEY_ID: '',
  ALPACA_LIVE_API_SECRET_KEY: '',
  ALPACA_TRADING_BASE_URL: '',
  IBKR_ACCOUNT_ID: '',
  IBKR_LIVE_ACCOUNT_ID: '',
  IBKR_BASE_URL: '',
  STRATOS_REVIEW_LIMIT: '25',
  STRATOS_LEASE_SECONDS: '120',
  // Per stage-function invocation: well under Supabase's 2 s of CPU and 150 s of wall clock.
  STRATOS_DRAIN_CPU_MS: '1000',
  STRATOS_DRAIN_WALL_MS: '60000',
  STRATOS_REPAIR_DAYS: '30',
  STRATOS_RECONCILE: 'false',
  STRATOS_SIGNALS_SKIP_FLAGGED: 'false',
  STRATOS_BENCHMARK_CRYPTO: 'BTC',
  STRATOS_BENCHMARK_EQUITY: 'SPY',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  OPENAI_MODEL: 'gpt-4.1-mini',
  // Review spending ('' = unset): see .env.example.
  STRATOS_REVIEW_CONCURRENCY: '8',
  STRATOS_REVIEW_TIMEOUT_MS: '30000',
  STRATOS_REVIEW_RETRIES: '2',
  STRATOS_REVIEW_BUDGET_USD: '',
  STRATOS_REVIEW_BUDGET_TOKENS: '',
  STRATOS_REVIEW_PRICE_IN: '',
  STRATOS_REVIEW_PRICE_OUT: '',
  STRATOS_REVIEW_CHEAP_MODEL: '',
  STRATOS_REVIEW_EQUITY_TOP_N: '500',
  STRATOS_REVIEW_MAX_ATR: String(DEFAULT_MAX_ENTRY_ATR),
  // Credentials (shared/auth): npm start writes random local ones to .env; Supabase sets its own.
  STRATOS_SECRET_KEY: '',
  STRATOS_PUBLISHABLE_KEY: '',
  STRATOS_ADMIN_TOKEN: '',
  SUPABASE_JWT_SECRET: '',
  STRATOS_JWT_SECRET: '',
  STRATOS_CORS_ORIGINS: '',
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

/**
 * Parses a provider order such as "polygon,alpaca,demo" into provider instances for one asset type.
 * A provider without the key it needs, or that does not serve the asset type, is left out with one
 * log line. `built` shares instances between chains, so a provider keeps one set of rate limits and
 * is reported once. An order left with no provider gets a stand-in that fails every asset with the
 * reason, so ingest records per-asset errors instead of silently storing nothing.
 */
export function providerChain(
  spec: string,
  assetType: AssetType,
  env: Env,
  log: (line: string) => void,
  built: Map<string, ProviderBuild> = new Map(),
): MarketDataProvider[] {
  const chain: MarketDataProvider[] = [];
  const left: string[] = [];
  for (const id of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    let build = built.get(id);
    if (!build) {
      const made = createProvider(id, env);
      if (!made) {
        throw new AppError('invalid_input', `unknown provider "${id}" (known: ${PROVIDER_IDS.join(', ')})`);
      }
      build = made;
      built.set(id, build);
      if ('skipped' in build) log(`provider ${id} skipped: ${build.skipped}`);
    }
    if ('skipped' in build) {
      left.push(`${id}: ${build.skipped}`);
    } else if (!build.provider.assetTypes.includes(assetType)) {
      const serves = `serves ${build.provider.assetTypes.join(' and ')} only`;
      log(`provider ${id} skipped for ${assetType}: it ${serves}`);
      left.push(`${id}: ${serves}`);
    } else {
      chain.push(build.provider);
    }
  }
  return chain.length > 0 ? chain : [unavailableProvider(assetType, left)];
}

function unavailableProvider(assetType: AssetType, left: string[]): MarketDataProvider {
  const error = `no ${assetType} provider is available (${left.join('; ') || 'none configured'})`;
  return {
    id: 'none',
    description: error,
    assetTypes: [assetType],
    async fetchDailyBars(req) {
      return { bars: [], errors: req.symbols.map((symbol) => ({ symbol, error })) };
    },
  };
}

/** Benchmark symbol per market (BTC and SPY unless configured). */
export function benchmarksFromEnv(env: Env): Record<AssetType, string> {
  return {
    crypto: setting(env, 'STRATOS_BENCHMARK_CRYPTO').toUpperCase(),
    equity: setting(env, 'STRATOS_BENCHMARK_EQUITY').toUpperCase(),
  };
}

/** The reviewer the environment asks for: the LLM (`model`, default OPENAI_MODEL) with a key, else the rules. */
export function reviewerFromEnv(env: Env, model = setting(env, 'OPENAI_MODEL')): Reviewer {
  const apiKey = setting(env, 'OPENAI_API_KEY');
  if (!apiKey) return createRulesReviewer();
  const baseURL = setting(env, 'OPENAI_BASE_URL');
  const maxRetries = Number(setting(env, 'STRATOS_REVIEW_RETRIES'));
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    throw new AppError('invalid_input', 'STRATOS_REVIEW_RETRIES must be a whole number (0 or more)');
  return createOpenAiReviewer({
    apiKey,
    model,
    timeoutMs: positiveInt(env, 'STRATOS_REVIEW_TIMEOUT_MS'),
    maxRetries,
    ...(baseURL ? { baseURL } : {}),
  });
}

// '' is unset (null); anything else must be a number above zero (or zero itself, for a free model's price).
function optionalNumber(env: Env, name: keyof typeof ENV_DEFAULTS, allowZero = false): number | null {
  const raw = setting(env, name);
  if (raw === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero))
    throw new AppError('invalid_input', `${name} must be a number above zero`);
  return n;
}

/**
 * How the review stage spends: tiering (STRATOS_REVIEW_CHEAP_MODEL, LLM only), concurrency, the per-run
 * budget and prices (the list price, or STRATOS_REVIEW_PRICE_IN/OUT for OPENAI_MODEL). A dollar budget
 * for a model without a price could not be enforced, so it is refused here rather than ignored later.
 */
export function reviewSettingsFromEnv(env: Env): ReviewSettings {
  const priceIn = optionalNumber(env, 'STRATOS_REVIEW_PRICE_IN', true);
  const priceOut = optionalNumber(env, 'STRATOS_REVIEW_PRICE_OUT', true);
  if ((priceIn === null) !== (priceOut === null))
    throw new AppError(
      'invalid_input',
      'set both STRATOS_REVIEW_PRICE_IN and STRATOS_REVIEW_PRICE_OUT, or neither',
    );
  const model = setting(env, 'OPENAI_MODEL');
  const override = priceIn !== null && priceOut !== null ? { input: priceIn, output: priceOut } : null;
  const priceOf = (m: string) => (override && m === model ? override : listPrice(m));
  const llm = setting(env, 'OPENAI_API_KEY') !== '';
  const cheapModel = setting(env, 'STRATOS_REVIEW_CHEAP_MODEL');
  const budgetUsd = optionalNumber(env, 'STRATOS_REVIEW_BUDGET_USD');
  const unpriced = [model, cheapModel].filter((m) => m && !priceOf(m));
  if (llm && budgetUsd !== null && unpriced.length > 0) {
    throw new AppError(
      'invalid_input',
      `STRATOS_REVIEW_BUDGET_USD needs a price for ${unpriced.join(' and ')}: set STRATOS_REVIEW_PRICE_IN/OUT ` +
        `(USD per 1M tokens, for OPENAI_MODEL) or use a listed model (${PRICED_MODELS.join(', ')})`,
    );
  }
  return {
    cheapReviewer: llm && cheapModel ? reviewerFromEnv(env, cheapModel) : null,
    concurrency: positiveInt(env, 'STRATOS_REVIEW_CONCURRENCY'),
    budgetUsd,
    budgetTokens: optionalNumber(env, 'STRATOS_REVIEW_BUDGET_TOKENS'),
    priceOf,
    equityTopN: positiveInt(env, 'STRATOS_REVIEW_EQUITY_TOP_N'),
    maxEntryAtr: optionalNumber(env, 'STRATOS_REVIEW_MAX_ATR')!,
  };
}

/**
 * How much one stage-function invocation takes on. The CPU budget leaves half of Supabase's 2 s for
 * the request itself and a job costlier than measured; the wall budget leaves room under the 150 s
 * limit for a self-invoked continuation the invocation waits on (see shared/http/stage-app.ts).
 */
export function drainBudgetFromEnv(env: Env): DrainBudget {
  return {
    cpuMs: positiveInt(env, 'STRATOS_DRAIN_CPU_MS'),
    wallMs: positiveInt(env, 'STRATOS_DRAIN_WALL_MS'),
  };
}

/** Builds the pipeline context from the environment; the one place configuration is read. */
export function createContext(env: Env, overrides: Partial<PipelineContext> = {}): PipelineContext {
  const url = env.DATABASE_URL || env.SUPABASE_DB_URL;
  if (!overrides.sql && !url)
    throw new AppError('invalid_input', 'DATABASE_URL (or SUPABASE_DB_URL) is not set');
  const log = overrides.log ?? (() => {});
  const built = new Map<string, ProviderBuild>();
  const chains: Record<AssetType, MarketDataProvider[]> = {
    crypto: providerChain(setting(env, 'STRATOS_CRYPTO_PROVIDERS'), 'crypto', env, log, built),
    equity: providerChain(setting(env, 'STRATOS_EQUITY_PROVIDERS'), 'equity', env, log, built),
  };
  return {
    sql: overrides.sql ?? connect(url!),
    providers: (assetType) => chains[assetType],
    reviewer: reviewerFromEnv(env),
    review: reviewSettingsFromEnv(env),
    sentiment: { scorer: sentimentScorerFromEnv(env), budgetUsd: sentimentBudgetFromEnv(env) },
    log,
    leaseSeconds: positiveInt(env, 'STRATOS_LEASE_SECONDS'),
    drainBudget: drainBudgetFromEnv(env),
    news: {
      providers: newsProviders(setting(env, 'STRATOS_NEWS_PROVIDERS'), env, log),
      days: positiveInt(env, 'STRATOS_NEWS_DAYS'),
    },
    reviewLimit: positiveInt(env, 'STRATOS_REVIEW_LIMIT'),
    repairDays: positiveInt(env, 'STRATOS_REPAIR_DAYS'),
    reconcile: setting(env, 'STRATOS_RECONCILE') === 'true',
    skipFlagged: setting(env, 'STRATOS_SIGNALS_SKIP_FLAGGED') === 'true',
    benchmarks: benchmarksFromEnv(env),
    brokerEnv: env,
    auth: authFromEnv(env),
    corsOrigins: setting(env, 'STRATOS_CORS_ORIGINS')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    ...overrides,
  };
}
