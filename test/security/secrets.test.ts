import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/local/database.ts';
import { createContext, reviewerFromEnv } from '../../shared/config.ts';
import { createApp as controlApi } from '../../supabase/functions/control-api/app.ts';
import { createApp as ingestOhlcv } from '../../supabase/functions/ingest-ohlcv/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startFakeOpenAi } from '../support/fake-openai.ts';
import { type FakeProviderServer, startFakeServer } from '../support/fake-providers/server.ts';
import { TEST_DATE } from '../support/pipeline.ts';
import { syntheticInput } from '../support/review-fixtures.ts';

// Secrets never reach logs, HTTP responses, stored errors or the dashboard bundle. Every secret gets
// a recognisable value; the parts that could leak run for real (a Vite build, the ingest stage
// against providers that echo what they were sent, the OpenAI client against a server that does the
// same) and everything they produce is searched for those values.

const SECRETS = {
  STRATOS_SECRET_KEY: 'stratos-secret-key-LEAK-1a2b3c',
  STRATOS_ADMIN_TOKEN: 'stratos-admin-token-LEAK-4d5e6f',
  SUPABASE_SERVICE_ROLE_KEY: 'service-role-key-LEAK-7a8b9c',
  SUPABASE_SECRET_KEYS: '{"default":"sb_secret_LEAK_0d1e2f"}',
  SUPABASE_JWT_SECRET: 'jwt-secret-LEAK-3a4b5c-at-least-32-characters',
  OPENAI_API_KEY: 'sk-openai-LEAK-6d7e8f',
  POLYGON_API_KEY: 'polygon-key-LEAK-9a0b1c',
  TIINGO_API_KEY: 'tiingo-key-LEAK-2d3e4f',
  ALPACA_API_KEY_ID: 'alpaca-id-LEAK-5a6b7c',
  ALPACA_API_SECRET_KEY: 'alpaca-secret-LEAK-8d9e0f',
  COINGECKO_API_KEY: 'coingecko-key-LEAK-1b2c3d',
};
const PUBLISHABLE = 'sb_publishable_public_4e5f6a';
const DB_PASSWORD = 'db-password-LEAK-7b8c9d';
/** Every secret value, the JSON of SUPABASE_SECRET_KEYS unpacked to the key inside it. */
const VALUES = [
  ...Object.values(SECRETS).filter((v) => !v.startsWith('{')),
  'sb_secret_LEAK_0d1e2f',
  DB_PASSWORD,
];

/** The secret values found in `text`. */
const leaked = (text: string) => VALUES.filter((v) => text.includes(v));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secrets stay out of the dashboard bundle', () => {
  it('a build with every secret in its environment contains none of them, only the public values', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'stratos-dashboard-'));
    const saved = { ...process.env };
    Object.assign(process.env, SECRETS, {
      VITE_SUPABASE_URL: 'https://abcdefghijklmnopqrst.supabase.co',
      VITE_SUPABASE_PUBLISHABLE_KEY: PUBLISHABLE,
      VITE_STRATOS_API_BASE: 'https://abcdefghijklmnopqrst.supabase.co/functions/v1/control-api',
    });
    try {
      await build({
        configFile: join(ROOT, 'dashboard/vite.config.ts'),
        build: { outDir, emptyOutDir: true },
        logLevel: 'silent',
      });
      const files = filesUnder(outDir);
      const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      expect(files.length).toBeGreaterThan(1);
      // The build did read the environment: the public key is inlined, so absence below means something.
      expect(text).toContain(PUBLISHABLE);
      expect(leaked(text)).toEqual([]);
    } finally {
      process.env = saved;
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('secrets stay out of logs, responses and stored errors', () => {
  let db: TestDatabase;
  let echo: FakeProviderServer;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql`
      insert into assets (asset_type, symbol, name)
      values ('equity', 'AAPL', 'Apple'), ('equity', 'MSFT', 'Microsoft'), ('equity', 'SPY', 'SPDR S&P 500')`;
    // A provider at its worst: it rejects the key and echoes everything it was sent, headers included.
    echo = await startFakeServer({
      reply: (req) => ({
        status: 401,
        body: {
          status: 'ERROR',
          error: `Unknown API Key: ${JSON.stringify(req.headers)} ${JSON.stringify(req.query)}`,
        },
      }),
      errorBody: () => ({ error: 'fault' }),
    });
  });
  afterAll(async () => {
    await echo.close();
    await db.drop();
  });

  it('ingest against providers that echo their credentials records errors without them', async () => {
    const ctx = createContext(
      {
        ...SECRETS,
        STRATOS_PUBLISHABLE_KEY: PUBLISHABLE,
        DATABASE_URL: db.url,
        STRATOS_EQUITY_PROVIDERS: 'polygon,tiingo,alpaca',
        POLYGON_BASE_URL: echo.baseUrl,
        TIINGO_BASE_URL: echo.baseUrl,
        ALPACA_DATA_BASE_URL: echo.baseUrl,
      },
      { sql: db.sql, log: (line) => logs.push(line) },
    );
    const app = ingestOhlcv(ctx);
    const res = await app.request('/ingest-ohlcv', {
      method: 'POST',
      headers: { apikey: SECRETS.STRATOS_SECRET_KEY },
      body: JSON.stringify({ date: TEST_DATE, universe: 'equity_all' }),
    });
    const body = await res.text();
    expect(res.status).toBe(202);
    // The providers were asked with the keys and answered with them; the key went out, not back in.
    expect(leaked(JSON.stringify(echo.requests)).length).toBeGreaterThan(0);
    const errors = await db.sql<{ error: string }[]>`select error from pipeline_asset_errors`;
    expect(errors.length).toBe(3);
    expect(errors[0]!.error).toMatch(/HTTP 401/);
    const runs = await controlApi(ctx).request('/control-api/runs', { headers: { apikey: PUBLISHABLE } });
    expect(runs.status).toBe(200);
    const stored = await db.sql`select * from data_quality_ledger`;
    expect(
      leaked([body, JSON.stringify(errors), await runs.text(), JSON.stringify(stored), ...logs].join('\n')),
    ).toEqual([]);
  });

  it('the OpenAI reviewer against a server that echoes the key reports the failure without it', async () => {
    const openai = await startFakeOpenAi((req) => ({
      status: 401,
      error: `Incorrect API key provided: ${req.headers.authorization}`,
    }));
    try {
      const reviewer = reviewerFromEnv({
        OPENAI_API_KEY: SECRETS.OPENAI_API_KEY,
        OPENAI_BASE_URL: openai.baseURL,
        STRATOS_REVIEW_RETRIES: '0',
      });
      const outcome = await reviewer.review(syntheticInput(1)).then(
        (o) => JSON.stringify(o),
        (err: Error) => `${err.name}: ${err.message} ${JSON.stringify(err)}`,
      );
      expect(openai.requests[0]!.headers.authorization).toBe(`Bearer ${SECRETS.OPENAI_API_KEY}`);
      expect(outcome).toMatch(/401/);
      expect(leaked(outcome)).toEqual([]);
    } finally {
      await openai.close();
    }
  });

  it('refusals and failures over HTTP carry no secret, not even the one that was wrong', async () => {
    const ctx = createContext(
      {
        ...SECRETS,
        STRATOS_PUBLISHABLE_KEY: PUBLISHABLE,
        // A database that is not there: the failure must not echo the connection string's password.
        DATABASE_URL: `postgres://stratos:${DB_PASSWORD}@127.0.0.1:1/none`,
      },
      { log: (line) => logs.push(line) },
    );
    const stage = ingestOhlcv(ctx);
    const api = controlApi(ctx);
    const bodies: string[] = [];
    const send = async (app: typeof stage | typeof api, path: string, init: RequestInit) => {
      const res = await app.request(path, init);
      bodies.push(`${res.status} ${JSON.stringify(Object.fromEntries(res.headers))} ${await res.text()}`);
      return res.status;
    };
    const body = JSON.stringify({ date: TEST_DATE, universe: 'equity_all' });
    expect(await send(stage, '/ingest-ohlcv', { method: 'POST', body })).toBe(401);
    expect(
      await send(stage, '/ingest-ohlcv', {
        method: 'POST',
        body,
        headers: { apikey: PUBLISHABLE, authorization: `Bearer ${SECRETS.STRATOS_ADMIN_TOKEN}` },
      }),
    ).toBe(403);
    expect(
      await send(stage, '/ingest-ohlcv', {
        method: 'POST',
        body,
        headers: { apikey: `${SECRETS.STRATOS_SECRET_KEY}x` },
      }),
    ).toBe(401);
    expect(
      await send(stage, '/ingest-ohlcv/drain', {
        method: 'POST',
        headers: { apikey: SECRETS.STRATOS_SECRET_KEY },
      }),
    ).toBeGreaterThanOrEqual(500);
    expect(await send(api, '/control-api/health', {})).toBe(503);
    expect(await send(api, '/control-api/runs', { headers: { apikey: PUBLISHABLE } })).toBeGreaterThanOrEqual(
      500,
    );
    await ctx.sql.end();
    expect(leaked([...bodies, ...logs].join('\n'))).toEqual([]);
  });
});
