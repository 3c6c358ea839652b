import { AppError } from '../errors/index.ts';
import { createAlpacaBroker } from './alpaca/index.ts';
import { createIbkrBroker } from './ibkr/index.ts';
import type { Broker } from './types.ts';

// The brokers a portfolio can name besides the built-in paper broker (which the portfolio builds from
// its ledger state), each built from the environment, as market-data providers are
// (shared/providers/registry.ts). Whether a portfolio may trade real money is the portfolio's
// (an admin's approval); `live` picks the live endpoint and keys, and is refused here too unless the
// server allows live trading (STRATOS_LIVE_TRADING=enabled), so switching that off stops live brokers
// from being built even for portfolios approved before.

/** Environment variables as a plain record. */
export type BrokerEnv = Readonly<Record<string, string | undefined>>;

/** A built broker, or why it could not be built (a key or account it needs is not set). */
export type BrokerBuild = { broker: Broker } | { missing: string };

/** The value of a variable, with '' meaning unset (as in a copied .env.example). */
const read = (env: BrokerEnv, name: string): string | undefined => env[name]?.trim() || undefined;

const missing = (names: string[]): BrokerBuild => ({
  missing: `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} not set`,
});

const FACTORIES: Record<string, (env: BrokerEnv, live: boolean) => BrokerBuild> = {
  // Paper and live Alpaca accounts have key pairs of their own, so a live portfolio never trades
  // with paper keys (nor the reverse).
  alpaca: (env, live) => {
    const names = live
      ? ['ALPACA_LIVE_API_KEY_ID', 'ALPACA_LIVE_API_SECRET_KEY']
      : ['ALPACA_API_KEY_ID', 'ALPACA_API_SECRET_KEY'];
    const [apiKey, apiSecret] = names.map((n) => read(env, n));
    if (!apiKey || !apiSecret) return missing(names.filter((n) => !read(env, n)));
    const baseUrl = read(env, 'ALPACA_TRADING_BASE_URL');
    return { broker: createAlpacaBroker({ apiKey, apiSecret, live, ...(baseUrl ? { baseUrl } : {}) }) };
  },
  ibkr: (env, live) => {
    const name = live ? 'IBKR_LIVE_ACCOUNT_ID' : 'IBKR_ACCOUNT_ID';
    const accountId = read(env, name);
    if (!accountId) return missing([name]);
    const baseUrl = read(env, 'IBKR_BASE_URL');
    return { broker: createIbkrBroker({ accountId, live, ...(baseUrl ? { baseUrl } : {}) }) };
  },
};

/** The brokers `createBroker` builds. */
export const EXTERNAL_BROKER_IDS = Object.keys(FACTORIES);

/**
 * The broker `id` names (`alpaca`, `ibkr`), on its paper account unless `live`, built from the
 * environment's keys, account and base URL; `missing` names what is not set. An unknown id is
 * `invalid_input` (the built-in `paper` broker is not built here); `live` without
 * STRATOS_LIVE_TRADING=enabled is `forbidden`.
 */
export function createBroker(id: string, env: BrokerEnv, opts: { live: boolean }): BrokerBuild {
  const factory = FACTORIES[id];
  if (!factory)
    throw new AppError('invalid_input', `unknown broker "${id}" (known: ${EXTERNAL_BROKER_IDS.join(', ')})`);
  if (opts.live && read(env, 'STRATOS_LIVE_TRADING') !== 'enabled')
    throw new AppError(
      'forbidden',
      'live trading is disabled on this server (set STRATOS_LIVE_TRADING=enabled)',
    );
  return factory(env, opts.live);
}
