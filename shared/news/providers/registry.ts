import { AppError } from '../../errors/index.ts';
import type { NewsProvider } from '../types.ts';
import { createDemoNewsProvider } from './demo/index.ts';
import { createMarketauxProvider } from './marketaux/index.ts';
import { createTiingoNewsProvider } from './tiingo/index.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Build = { provider: NewsProvider } | { skipped: string };

const read = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;

function positive(env: Env, name: string): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new AppError('invalid_input', `${name} must be a positive integer, got "${value}"`);
  return n;
}

/** News sources that can be named in STRATOS_NEWS_PROVIDERS, each built from the environment (FNSPID is a CLI import). */
const FACTORIES: Record<string, (env: Env) => Build> = {
  demo: () => ({ provider: createDemoNewsProvider() }),
  marketaux: (env) => {
    const apiKey = read(env, 'MARKETAUX_API_KEY');
    if (!apiKey) return { skipped: 'MARKETAUX_API_KEY is not set' };
    return {
      provider: createMarketauxProvider({
        apiKey,
        baseUrl: read(env, 'MARKETAUX_BASE_URL'),
        dailyRequests: positive(env, 'MARKETAUX_DAILY_REQUESTS'),
        pageSize: positive(env, 'MARKETAUX_PAGE_SIZE'),
      }),
    };
  },
  tiingo: (env) => {
    const apiKey = read(env, 'TIINGO_API_KEY');
    if (!apiKey) return { skipped: 'TIINGO_API_KEY is not set' };
    return { provider: createTiingoNewsProvider({ apiKey, baseUrl: read(env, 'TIINGO_BASE_URL') }) };
  },
};

/**
 * The news sources named in a list such as "marketaux,tiingo,demo", in that order (the news stage
 * asks each for the asset types it serves and deduplicates across them). One without its key is
 * left out with one log line; an unknown name is refused.
 */
export function newsProviders(spec: string, env: Env, log: (line: string) => void): NewsProvider[] {
  const providers: NewsProvider[] = [];
  for (const id of new Set(
    spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )) {
    const factory = FACTORIES[id];
    if (!factory) {
      throw new AppError(
        'invalid_input',
        `unknown news provider "${id}" (known: ${Object.keys(FACTORIES).join(', ')})`,
      );
    }
    const build = factory(env);
    if ('skipped' in build) log(`news provider ${id} skipped: ${build.skipped}`);
    else providers.push(build.provider);
  }
  return providers;
}
