import { createAlpacaProvider } from './alpaca/index.ts';
import { createCoinGeckoProvider } from './coingecko/index.ts';
import { createDemoProvider } from './demo/index.ts';
import { createPolygonProvider } from './polygon/index.ts';
import { createTiingoProvider } from './tiingo/index.ts';
import type { MarketDataProvider } from './types.ts';
import { createYahooProvider } from './yahoo/index.ts';

/** Environment variables as a plain record (the registry reads keys and base URLs from it). */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

/** A built provider, or why it was left out (a key it needs is not set). */
export type ProviderBuild = { provider: MarketDataProvider } | { skipped: string };

/** The value of a variable, with '' meaning unset (as in a copied .env.example). */
const read = (env: ProviderEnv, name: string): string | undefined => env[name]?.trim() || undefined;

const missing = (...names: string[]) => ({
  skipped: `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} not set`,
});

/**
 * Providers that can be named in configuration, by id, each built from the environment. File-based
 * providers (csv) are built by the CLI.
 */
const FACTORIES: Record<string, (env: ProviderEnv) => ProviderBuild> = {
  demo: () => ({ provider: createDemoProvider() }),
  coingecko: (env) => ({
    provider: createCoinGeckoProvider({
      apiKey: read(env, 'COINGECKO_API_KEY'),
      baseUrl: read(env, 'COINGECKO_BASE_URL'),
    }),
  }),
  alpaca: (env) => {
    const apiKey = read(env, 'ALPACA_API_KEY_ID');
    const apiSecret = read(env, 'ALPACA_API_SECRET_KEY');
    if (!apiKey || !apiSecret) {
      return missing(
        ...(apiKey ? [] : ['ALPACA_API_KEY_ID']),
        ...(apiSecret ? [] : ['ALPACA_API_SECRET_KEY']),
      );
    }
    return {
      provider: createAlpacaProvider({
        apiKey,
        apiSecret,
        baseUrl: read(env, 'ALPACA_DATA_BASE_URL'),
        feed: read(env, 'ALPACA_DATA_FEED'),
      }),
    };
  },
  polygon: (env) => {
    const apiKey = read(env, 'POLYGON_API_KEY');
    if (!apiKey) return missing('POLYGON_API_KEY');
    return { provider: createPolygonProvider({ apiKey, baseUrl: read(env, 'POLYGON_BASE_URL') }) };
  },
  tiingo: (env) => {
    const apiKey = read(env, 'TIINGO_API_KEY');
    if (!apiKey) return missing('TIINGO_API_KEY');
    return { provider: createTiingoProvider({ apiKey, baseUrl: read(env, 'TIINGO_BASE_URL') }) };
  },
  yahoo: (env) => ({ provider: createYahooProvider({ baseUrl: read(env, 'YAHOO_BASE_URL') }) }),
};

export const PROVIDER_IDS = Object.keys(FACTORIES);

/**
 * A new provider instance for an id, built from the environment's keys and base URLs; `skipped`
 * when a key it needs is missing; null when the id is unknown.
 */
export function createProvider(id: string, env: ProviderEnv = {}): ProviderBuild | null {
  return FACTORIES[id]?.(env) ?? null;
}
