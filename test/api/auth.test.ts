import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS, TEST_KEYS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture } from '../support/pipeline.ts';
import { everyEquity } from '../support/templates.ts';

const ORIGIN = 'https://dashboard.example';

/** A Supabase user's access token, signed with the project's JWT secret. */
const userToken = (appMetadata: Record<string, unknown>) =>
  sign(
    {
      sub: crypto.randomUUID(),
      role: 'authenticated',
      app_metadata: appMetadata,
      exp: Math.floor(Date.now() / 1000) + 600,
    },
    TEST_KEYS.SUPABASE_JWT_SECRET,
    'HS256',
  );

describe('control-api access: who may call what', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;
  let credentials: Record<string, Record<string, string>>;
  let runId: number;

  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    app.request(`/control-api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    app = createApp({ ...ctx, corsOrigins: [ORIGIN] });
    credentials = {
      none: {},
      'bad key': { apikey: 'not-a-key' },
      'bad bearer': { authorization: 'Bearer not-a-token' },
      'forged JWT': {
        authorization: `Bearer ${await sign({ app_metadata: { role: 'admin' } }, 'guessed-secret-of-32-characters!!')}`,
      },
      reader: AS.reader,
      'signed-in user': { ...AS.reader, authorization: `Bearer ${await userToken({})}` },
      admin: AS.admin,
      'admin user': { ...AS.reader, authorization: `Bearer ${await userToken({ role: 'admin' })}` },
      service: AS.service,
    };
    const [run] = await ctx.sql<{ id: number }[]>`
      insert into pipeline_runs (stage, run_date, universe, status) values ('signals', '2026-11-20', 'crypto_all', 'succeeded')
      returning id`;
    runId = run!.id;
    await ctx.sql`insert into signal_templates (id, version, name, description, direction, definition)
      values ('auth_probe', 1, 'Probe', 'Probe', 'bullish', ${ctx.sql.json(everyEquity('auth_probe'))})`;
  });
  afterAll(() => db.drop());

  const expected: Record<string, 'denied' | 'forbidden' | 'allowed'> = {
    none: 'denied',
    'bad key': 'denied',
    'bad bearer': 'denied',
    'forged JWT': 'denied',
    reader: 'forbidden',
    'signed-in user': 'forbidden',
    admin: 'allowed',
    'admin user': 'allowed',
    service: 'allowed',
  };

  /** Every write route, with a body the handler accepts (or refuses on its merits, never on access). */
  const writes: [string, () => string, unknown][] = [
    ['POST', () => '/runs', { stage: 'signals', date: '2026-11-20', universe: 'crypto_all' }],
    ['POST', () => `/runs/${runId}/retry`, undefined],
    ['POST', () => '/templates', everyEquity(`probe_${crypto.randomUUID().slice(0, 8)}`)],
    ['PUT', () => '/templates/auth_probe', everyEquity('auth_probe')],
    ['PATCH', () => '/templates/auth_probe', { enabled: true }],
    ['PATCH', () => '/schedules/queue_drain', { enabled: true }],
  ];

  describe.each(writes)('%s %s (admin)', (method, path, body) => {
    it.each(Object.keys(expected))('as %s', async (who) => {
      const res = await call(method, path(), credentials[who]!, body);
      const json = (await res.json()) as { error?: string };
      if (expected[who] === 'denied') {
        expect(res.status).toBe(401);
        expect(json).toEqual({ error: 'missing or invalid credentials', code: 'unauthorized' });
      } else if (expected[who] === 'forbidden') {
        expect(res.status).toBe(403);
        expect(json).toMatchObject({ error: expect.stringMatching(/admin role/), code: 'forbidden' });
      } else {
        expect(res.status, JSON.stringify(json)).toBeLessThan(500);
        expect([401, 403]).not.toContain(res.status);
      }
    });
  });

  const reads: [string, string, unknown][] = [
    ['GET', '/assets', undefined],
    ['GET', '/runs', undefined],
    ['GET', `/runs/1`, undefined],
    ['GET', '/schedules', undefined],
    ['GET', '/reviews', undefined],
    ['GET', '/reviews/costs', undefined],
    ['GET', '/quality', undefined],
    ['GET', '/templates/auth_probe', undefined],
    ['POST', '/templates/validate', everyEquity('x')],
    ['POST', '/templates/preview', { template: everyEquity('x'), universe: 'equity_all' }],
  ];

  describe.each(reads)('%s %s (reader)', (method, path, body) => {
    it.each(Object.keys(expected))('as %s', async (who) => {
      const res = await call(method, path, credentials[who]!, body);
      if (expected[who] === 'denied') expect(res.status).toBe(401);
      else expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    });
  });

  it.each(['/health', '/openapi.json'])('GET %s needs no credentials', async (path) => {
    expect((await call('GET', path, {})).status).toBe(200);
  });

  it('unknown routes are 404 whoever asks', async () => {
    expect((await call('GET', '/secrets', {})).status).toBe(404);
    expect((await call('DELETE', '/runs/1', AS.admin)).status).toBe(404);
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      app.request('/control-api/schedules/queue_drain', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'apikey, authorization, content-type',
        },
      });

    it('answers a preflight from a configured origin with the credential headers allowed', async () => {
      const res = await preflight(ORIGIN);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase().split(',');
      expect(allowed).toEqual(expect.arrayContaining(['apikey', 'authorization', 'content-type']));
      expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    });

    it('gives other origins no CORS headers at all', async () => {
      const res = await preflight('https://evil.example');
      expect(res.status).toBe(404);
      expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
      const read = await call('GET', '/assets', { ...AS.reader, origin: 'https://evil.example' });
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets a configured origin read answers and refusals', async () => {
      const read = await call('GET', '/assets', { ...AS.reader, origin: ORIGIN });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(read.headers.get('vary')).toContain('Origin');
      const refused = await call('GET', '/assets', { origin: ORIGIN });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    });

    it('sends no CORS headers when no origin is configured', async () => {
      const closed = createApp({ ...ctx, corsOrigins: [] });
      const res = await closed.request('/control-api/assets', { headers: { ...AS.reader, origin: ORIGIN } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
