import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../shared/config.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startFakeAlpaca } from '../support/fake-providers/alpaca.ts';
import { startFakeCoinGecko } from '../support/fake-providers/coingecko.ts';
import { expectedBars } from '../support/fake-providers/fixtures.ts';
import { startFakePolygon } from '../support/fake-providers/polygon.ts';
import type { FakeProviderServer } from '../support/fake-providers/server.ts';
import { fixtureUniverse, ingestUniverse, storedBars } from '../support/ingest.ts';

// The real ingest stage, configured from the environment as in production, fetching over HTTP from
// fake providers: equities from [Polygon, Alpaca] (Polygon lacking some symbols or down), crypto
// from [CoinGecko]. Every stored bar must name its source; fallback must fill the gaps.

const KEYS = {
  POLYGON_API_KEY: 'polygon-key-integration',
  ALPACA_API_KEY_ID: 'PKINTEGRATION0001',
  ALPACA_API_SECRET_KEY: 'alpaca-secret-integration',
};

let db: TestDatabase;
let fakes: FakeProviderServer[] = [];
let logged: string[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  logged = [];
});
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
  await db.drop();
});

async function context(opts: { polygonMissing?: string[] } = {}): Promise<{
  ctx: PipelineContext;
  polygon: FakeProviderServer;
}> {
  const polygon = await startFakePolygon({
    apiKey: KEYS.POLYGON_API_KEY,
    missing: opts.polygonMissing ?? [],
  });
  const alpaca = await startFakeAlpaca({ keyId: KEYS.ALPACA_API_KEY_ID, secret: KEYS.ALPACA_API_SECRET_KEY });
  const coingecko = await startFakeCoinGecko();
  fakes.push(polygon, alpaca, coingecko);
  const ctx = createContext(
    {
      ...KEYS,
      // Tiingo has no key here: it is skipped with one line and the order goes on without it.
      STRATOS_EQUITY_PROVIDERS: 'polygon,tiingo,alpaca',
      STRATOS_CRYPTO_PROVIDERS: 'coingecko',
      POLYGON_BASE_URL: polygon.baseUrl,
      ALPACA_DATA_BASE_URL: alpaca.baseUrl,
      COINGECKO_BASE_URL: coingecko.baseUrl,
    },
    { sql: db.sql, log: (line) => logged.push(line) },
  );
  return { ctx, polygon };
}

describe('ingest over real provider clients', () => {
  it('stores each bar with its source, falls back to Alpaca for what Polygon lacks, and records both per asset', async () => {
    const { ctx, polygon } = await context({ polygonMissing: ['JPM'] });
    expect(logged).toEqual(['provider tiingo skipped: TIINGO_API_KEY is not set']);
    expect(ctx.providers('equity').map((p) => p.id)).toEqual(['polygon', 'alpaca']);

    const symbols = ['AAPL', 'JPM', 'MSFT', 'XOM', 'ZZZZ'];
    await fixtureUniverse(ctx, 'equity_fixture', 'equity', symbols);
    const run = await ingestUniverse(ctx, 'equity_fixture', '2018-01-12', '2018-01-10');

    // ZZZZ failed everywhere (an error: partial); JPM fell back to Alpaca (a note, and in the summary).
    expect(run.status).toBe('partial');
    const none = (symbol: string) => `no bars for ${symbol} between 2018-01-10 and 2018-01-12`;
    expect(run.errors).toEqual([
      {
        scope: 'JPM',
        error: `fallback: polygon failed (not retryable): ${none('JPM')}; served by alpaca`,
      },
      { scope: 'ZZZZ', error: `polygon: ${none('ZZZZ')}; alpaca: ${none('ZZZZ')}` },
    ]);
    expect(run.summary.fallbacks).toEqual([
      { provider: 'polygon', symbol: 'JPM', error: none('JPM'), retryable: false, served_by: 'alpaca' },
      { provider: 'alpaca', symbol: 'ZZZZ', error: none('ZZZZ'), retryable: false, served_by: null },
      { provider: 'polygon', symbol: 'ZZZZ', error: none('ZZZZ'), retryable: false, served_by: null },
    ]);
    expect(run.summary.symbols_fallen_back).toBe(1);
    const stored = await storedBars(ctx, symbols);
    const expected = expectedBars('equity', symbols, '2018-01-10', '2018-01-12');
    expect(stored.map(({ source: _, ...bar }) => bar)).toEqual(expected);
    expect(Object.fromEntries(stored.map((b) => [b.symbol, b.source]))).toEqual({
      AAPL: 'polygon',
      JPM: 'alpaca',
      MSFT: 'polygon',
      XOM: 'polygon',
    });
    // Three sessions, three grouped-daily calls for the whole market.
    expect(polygon.requests.map((r) => r.path.split('/').at(-1))).toEqual([
      '2018-01-10',
      '2018-01-11',
      '2018-01-12',
    ]);
  });

  it('ends succeeded on Alpaca when Polygon is down, recording every fallback, and ingests crypto from CoinGecko', async () => {
    const { ctx, polygon } = await context();
    polygon.failAlways({ status: 503, retryAfter: '0' });
    const equities = ['AAPL', 'JPM', 'MSFT', 'XOM'];
    await fixtureUniverse(ctx, 'equity_fixture', 'equity', equities);
    const equityRun = await ingestUniverse(ctx, 'equity_fixture', '2018-01-05', '2018-01-02');
    // Every bar is stored, so the run succeeded; that it took a fallback is on record, not hidden.
    expect(equityRun.status).toBe('succeeded');
    expect(equityRun.summary.symbols_fallen_back).toBe(4);
    const fallbacks = equityRun.summary.fallbacks as Record<string, unknown>[];
    expect(fallbacks.map((f) => [f.provider, f.symbol, f.retryable, f.served_by])).toEqual(
      equities.map((symbol) => ['polygon', symbol, true, 'alpaca']),
    );
    for (const f of fallbacks) expect(f.error).toMatch(/^(HTTP 503 from|circuit open for) 127\.0\.0\.1:/);
    expect(equityRun.errors.map((e) => e.scope)).toEqual(equities);
    for (const e of equityRun.errors) {
      expect(e.error).toMatch(/^fallback: polygon failed \(retryable\): .*; served by alpaca$/);
    }
    const stored = await storedBars(ctx, equities);
    expect(stored.map(({ source: _, ...bar }) => bar)).toEqual(
      expectedBars('equity', equities, '2018-01-02', '2018-01-05'),
    );
    expect(new Set(stored.map((b) => b.source))).toEqual(new Set(['alpaca']));
    // The breaker opened after five failed calls (one more may have been in flight), not 4 days x 4 attempts.
    expect(polygon.requests.length).toBeLessThanOrEqual(6);

    await fixtureUniverse(ctx, 'crypto_fixture', 'crypto', ['BTC', 'ETH']);
    const cryptoRun = await ingestUniverse(ctx, 'crypto_fixture', '2018-01-12', '2018-01-02');
    expect(cryptoRun.status).toBe('succeeded');
    const coins = await storedBars(ctx, ['BTC', 'ETH']);
    expect(coins.map(({ source: _, ...bar }) => bar)).toEqual(
      expectedBars('crypto', ['BTC', 'ETH'], '2018-01-02', '2018-01-12'),
    );
    expect(new Set(coins.map((b) => b.source))).toEqual(new Set(['coingecko']));
  });
});
