import { describe, expect, it } from 'vitest';
import { createProvider, PROVIDER_IDS } from './registry.ts';

const KEYS = {
  COINGECKO_API_KEY: 'cg-key-123456',
  ALPACA_API_KEY_ID: 'PK1234567890',
  ALPACA_API_SECRET_KEY: 'alpaca-secret-123456',
  POLYGON_API_KEY: 'polygon-key-123456',
  TIINGO_API_KEY: 'tiingo-key-123456',
};

describe('provider registry', () => {
  it('knows every provider that can be named in configuration', () => {
    expect(PROVIDER_IDS).toEqual(['demo', 'coingecko', 'alpaca', 'polygon', 'tiingo', 'yahoo']);
    expect(createProvider('bloomberg', KEYS)).toBeNull();
  });

  it('builds each provider from the environment, demo first among equals', () => {
    for (const id of PROVIDER_IDS) {
      const build = createProvider(id, KEYS);
      expect(build && 'provider' in build ? build.provider.id : build).toBe(id);
    }
  });

  it('skips providers whose keys are not set (empty counts as unset), naming the variables', () => {
    const env = { POLYGON_API_KEY: '', ALPACA_API_KEY_ID: 'PK1234567890' };
    expect(createProvider('polygon', env)).toEqual({ skipped: 'POLYGON_API_KEY is not set' });
    expect(createProvider('tiingo', env)).toEqual({ skipped: 'TIINGO_API_KEY is not set' });
    expect(createProvider('alpaca', env)).toEqual({ skipped: 'ALPACA_API_SECRET_KEY is not set' });
    expect(createProvider('alpaca', {})).toEqual({
      skipped: 'ALPACA_API_KEY_ID and ALPACA_API_SECRET_KEY are not set',
    });
    // CoinGecko works keyless (at a lower rate), Yahoo needs no key, demo needs nothing.
    for (const id of ['coingecko', 'yahoo', 'demo'])
      expect(createProvider(id, {})).toHaveProperty('provider');
  });

  it('points each provider at its base URL override', () => {
    const env = {
      ...KEYS,
      COINGECKO_BASE_URL: 'http://proxy.internal/coingecko/api/v3',
      ALPACA_DATA_BASE_URL: 'http://proxy.internal/alpaca',
      POLYGON_BASE_URL: 'http://proxy.internal/polygon',
      TIINGO_BASE_URL: 'http://proxy.internal/tiingo',
      YAHOO_BASE_URL: 'http://proxy.internal/yahoo',
    };
    for (const id of ['coingecko', 'alpaca', 'polygon', 'tiingo', 'yahoo']) {
      const build = createProvider(id, env);
      expect(build && 'provider' in build && build.provider.description).toContain(
        `http://proxy.internal/${id}`,
      );
    }
    const defaults = createProvider('polygon', KEYS);
    expect(defaults && 'provider' in defaults && defaults.provider.description).toContain(
      'https://api.polygon.io',
    );
  });
});
