import { describe, expect, it } from 'vitest';
import { createContext, providerChain } from '../../shared/config.ts';
import type { Sql } from '../../shared/db/client.ts';
import { AppError } from '../../shared/errors/index.ts';

describe('providerChain', () => {
  it('builds the configured order, skipping a provider without its key with one clear line', () => {
    const lines: string[] = [];
    const chain = providerChain(
      'polygon, alpaca ,yahoo,demo',
      'equity',
      { ALPACA_API_KEY_ID: 'PK1', ALPACA_API_SECRET_KEY: 's' },
      (l) => lines.push(l),
    );
    expect(chain.map((p) => p.id)).toEqual(['alpaca', 'yahoo', 'demo']);
    expect(lines).toEqual(['provider polygon skipped: POLYGON_API_KEY is not set']);
  });

  it('skips a provider for a market it does not serve', () => {
    const lines: string[] = [];
    const chain = providerChain('coingecko,demo', 'equity', {}, (l) => lines.push(l));
    expect(chain.map((p) => p.id)).toEqual(['demo']);
    expect(lines).toEqual(['provider coingecko skipped for equity: it serves crypto only']);
  });

  it('leaves a stand-in that fails every asset with the reason when nothing is left', async () => {
    const chain = providerChain('tiingo', 'equity', {}, () => {});
    expect(chain.map((p) => p.id)).toEqual(['none']);
    const res = await chain[0]!.fetchDailyBars({
      assetType: 'equity',
      symbols: ['AAPL', 'MSFT'],
      from: '2026-01-02',
      to: '2026-01-05',
    });
    expect(res.bars).toEqual([]);
    expect(res.errors).toEqual(
      ['AAPL', 'MSFT'].map((symbol) => ({
        symbol,
        error: 'no equity provider is available (tiingo: TIINGO_API_KEY is not set)',
      })),
    );
  });

  it('refuses an unknown provider id', () => {
    expect(() => providerChain('demo,bloomberg', 'equity', {}, () => {})).toThrow(AppError);
    expect(() => providerChain('bloomberg', 'crypto', {}, () => {})).toThrow(
      /unknown provider "bloomberg" \(known: demo, coingecko, alpaca, polygon, tiingo, yahoo\)/,
    );
  });
});

describe('createContext providers', () => {
  const sql = {} as Sql;

  it('keeps demo as the default for both markets', () => {
    const ctx = createContext({}, { sql });
    expect(ctx.providers('crypto').map((p) => p.id)).toEqual(['demo']);
    expect(ctx.providers('equity').map((p) => p.id)).toEqual(['demo']);
  });

  it('logs a skipped provider once even when both markets name it, and shares one instance', () => {
    const lines: string[] = [];
    const ctx = createContext(
      { STRATOS_CRYPTO_PROVIDERS: 'tiingo,yahoo,coingecko', STRATOS_EQUITY_PROVIDERS: 'tiingo,yahoo' },
      { sql, log: (l) => lines.push(l) },
    );
    expect(lines).toEqual(['provider tiingo skipped: TIINGO_API_KEY is not set']);
    expect(ctx.providers('crypto').map((p) => p.id)).toEqual(['yahoo', 'coingecko']);
    // One Yahoo for both markets: one rate limit, one circuit breaker.
    expect(ctx.providers('crypto')[0]).toBe(ctx.providers('equity')[0]);
  });
});
