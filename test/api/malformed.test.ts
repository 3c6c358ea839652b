import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerParseErrorsAsJson, createGateway, FUNCTIONS } from '../../scripts/local/server.ts';
import { addDays, latestCompleteDay, todayUtc } from '../../shared/calendar/index.ts';
import { maxInputDate } from '../../shared/domain/market.ts';
import { AppError } from '../../shared/errors/index.ts';
import { MAX_JSON_DEPTH } from '../../shared/http/json-shape.ts';
import { startRun } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { MAX_CONDITION_DEPTH, MAX_CONDITIONS } from '../../shared/signals/schema.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture } from '../support/pipeline.ts';
import { everyEquity, rsiStrategy } from '../support/templates.ts';

// Every documented route, with hostile values in every path parameter, query parameter and body
// field: each must be answered with a JSON error (4xx) or a normal answer, never a 500. The classes:
// hostile strings and encodings, impossible and out-of-range dates in every date parameter, bodies
// nested past the limits, lone surrogates in every string field, run dates in the future, and the
// local gateway over real HTTP (methods, percent-encoding, prototype names).

type Operation = {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
type Schema = { type?: string; format?: string; properties?: Record<string, Schema> };

/** Every request the suite sends and how many were answered 5xx: the count the suite reports. */
const sent = { requests: 0, serverErrors: 0 };

const b64 = (text: string) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** Values that are wrong for almost any parameter: bad dates, huge numbers, SQL, encodings, NUL. */
const HOSTILE = [
  '',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  'NaN',
  '2026-02-30',
  '2026-13-01',
  '20261120',
  "' or '1'='1",
  "x'; drop table assets; --",
  '%',
  '_',
  '\\',
  '😀',
  '\u0000',
  'a'.repeat(5000),
  '../../etc/passwd',
  'true',
  'null',
  '[]',
  '{}',
  ':::',
  'rsi_14:1:',
  'rsi_14:abc:def',
  'rsi_14:1e400:',
  '0000-01-01',
  '0001-01-01',
  '1899-12-31',
  '9999-12-31',
  '2023-02-29',
  '1900-02-29',
  '+02026-01-01',
  '__proto__',
  'constructor',
  b64('not json'),
  b64('{"s":"symbol","o":"asc","v":1,"k":"A","i":1}'),
  b64('{"s":"symbol","o":"asc","v":"A","k":"A","i":-5}'),
  b64('{"s":"rsi_14","o":"asc","v":"text","k":"A","i":1}'),
  b64('{"s":"symbol","o":"asc","v":null,"k":"\u0000","i":1}'),
  b64(`{"s":"symbol","o":"asc","v":"${'x'.repeat(300)}","k":"A","i":1}`),
];

/** Values sent as they are, already percent-encoded: malformed or over-long UTF-8, a surrogate's bytes, NUL. */
const RAW_HOSTILE = ['%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%00', '%uD800'];

/** Dates no date parameter may accept: impossible, before 1900, years Postgres refuses, the far future. */
const BAD_DATES = [
  '0000-01-01',
  '0001-01-01',
  '1899-12-31',
  '2023-02-29',
  '1900-02-29',
  '2026-04-31',
  '2026-00-10',
  '2026-12-32',
  '9999-12-31',
  addDays(maxInputDate(), 1),
  '+02026-01-01',
  '2026-1-1',
  ' 2026-01-01',
  '2026-01-01T00:00:00Z',
];

/** Dates every date parameter accepts: leap days, the earliest accepted date, tomorrow UTC. */
const GOOD_DATES = ['2000-02-29', '2024-02-29', '1900-01-01', maxInputDate()];

/** Raw request bodies that are not what any route wants. */
const BODIES = [
  'not json',
  '{"unterminated":',
  '[]',
  'null',
  '123',
  '"text"',
  '{"__proto__":{"admin":true}}',
  '{"a":"\\u0000"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  JSON.stringify({ stage: 'pipeline', symbols: Array.from({ length: 10_000 }, () => 'AAA') }),
];

/** A wrong value for each JSON type, for every documented body field. */
const WRONG_TYPE: Record<string, unknown[]> = {
  string: [5, true, null, {}, [], 'x'.repeat(10_000), "'; drop table signal_templates; --"],
  number: ['5', -1, 1e308, Number.MAX_SAFE_INTEGER * 4, null],
  integer: [1.5, '5', -1, 1e308],
  boolean: ['true', 1, null],
  array: ['x', {}, [null], Array.from({ length: 6000 }, () => 'x')],
  object: ['x', [], 5],
};

describe('control-api never answers malformed input with a 500', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;
  let doc: Doc;
  let calls = 0;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    // A little data, so queries reach their SQL with the hostile values.
    const [asset] = await ctx.sql<{ id: number }[]>`
      insert into assets (symbol, asset_type, name) values ('AAA', 'equity', 'Triple A') returning id`;
    await ctx.sql`
      insert into daily_bars (asset_id, date, open, high, low, close, volume, source)
      select ${asset!.id}, d::date, 10, 11, 9, 10.5, 1000, 'test'
      from generate_series(date '2026-11-16', date '2026-11-20', interval '1 day') d`;
    await ctx.sql`
      insert into daily_features (asset_id, date, rsi_14, ret_1)
      select ${asset!.id}, date, 40, 0.01 from daily_bars where asset_id = ${asset!.id}`;
    app = createApp(ctx);
    doc = (await (await app.request('/control-api/openapi.json')).json()) as Doc;
  });
  afterAll(async () => {
    // The number the issue asks for: how many hostile requests were generated, and how many got a 5xx.
    console.log(`hostile requests sent: ${sent.requests}, answered 5xx: ${sent.serverErrors}`);
    await db.drop();
  });

  /** Sends one request; anything but a JSON error or a normal answer fails. Returns the answer. */
  async function expectNo500(method: string, url: string, body?: string) {
    calls++;
    sent.requests++;
    const res = await app.request(`/control-api${url}`, {
      method,
      headers: { ...AS.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    if (res.status >= 500) sent.serverErrors++;
    const what = `${method} ${url.slice(0, 200)} ${body?.slice(0, 100) ?? ''}: ${text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    const json =
      res.status >= 400 || text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (res.status >= 400) expect(json, what).toHaveProperty('error');
    return { status: res.status, json, what };
  }

  /** Sends a request that must be refused with a 400 and the JSON error shape; returns the message. */
  async function expect400(method: string, url: string, body?: string): Promise<string> {
    const res = await expectNo500(method, url, body);
    expect(res.status, res.what).toBe(400);
    return String(res.json.error);
  }

  /** The path with each parameter replaced by a plausible value, or `value` for the one named. */
  const fill = (path: string, name?: string, value?: string) =>
    path.replace(/\{(\w+)\}/g, (_, p: string) =>
      p === name
        ? encodeURIComponent(value!)
        : ({ asset_type: 'equity', symbol: 'AAA', id: '1' }[p] ?? 'rsi_oversold'),
    );

  it('path parameters', async () => {
    calls = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of (op.parameters ?? []).filter((x) => x.in === 'path')) {
          for (const value of HOSTILE) {
            await expectNo500(
              method.toUpperCase(),
              fill(path, p.name, value),
              op.requestBody ? '{}' : undefined,
            );
          }
          for (const raw of RAW_HOSTILE) {
            const url = fill(path, p.name, 'RAW').replace('RAW', raw);
            await expectNo500(method.toUpperCase(), url, op.requestBody ? '{}' : undefined);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(250);
  });

  it('query parameters: hostile values, repeated keys, unknown keys', async () => {
    calls = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const url = fill(path);
        const body = op.requestBody ? '{}' : undefined;
        for (const p of (op.parameters ?? []).filter((x) => x.in === 'query')) {
          for (const value of HOSTILE) {
            await expectNo500(method.toUpperCase(), `${url}?${p.name}=${encodeURIComponent(value)}`, body);
          }
          for (const raw of RAW_HOSTILE)
            await expectNo500(method.toUpperCase(), `${url}?${p.name}=${raw}`, body);
          await expectNo500(method.toUpperCase(), `${url}?${p.name}=1&${p.name}=2`, body);
        }
        await expectNo500(method.toUpperCase(), `${url}?bogus=1&%ZZ=%E0%A4%A`, body);
      }
    }
    expect(calls).toBeGreaterThan(1300);
  });

  it('request bodies: not JSON, wrong JSON, wrong type in every field', async () => {
    calls = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const ref = op.requestBody?.content['application/json']?.schema.$ref;
        if (!ref) continue;
        const url = fill(path);
        for (const body of BODIES) await expectNo500(method.toUpperCase(), url, body);
        const schema = doc.components.schemas[ref.split('/').pop()!]!;
        for (const [field, fieldSchema] of Object.entries(schema.properties ?? {})) {
          for (const wrong of WRONG_TYPE[fieldSchema.type ?? 'object'] ?? WRONG_TYPE.object!) {
            await expectNo500(method.toUpperCase(), url, JSON.stringify({ [field]: wrong }));
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
  });

  /** A valid body for every route that takes one: each class below breaks one part of it. */
  const BASE_BODY: Record<string, Record<string, unknown>> = {
    'post /runs': { stage: 'ingest', asset_type: 'equity' },
    'patch /schedules/{id}': { enabled: true },
    'post /templates': everyEquity('hostile_probe'),
    'post /templates/validate': everyEquity('hostile_probe'),
    'post /templates/preview': { template: everyEquity('hostile_probe') },
    'put /templates/{id}': everyEquity('rsi_oversold'),
    'patch /templates/{id}': { enabled: true },
    'post /strategies': rsiStrategy('hostile_probe'),
    'post /strategies/validate': rsiStrategy('hostile_probe'),
    'post /backtests': {
      strategy: 'sma_cross',
      universe: 'equity_all',
      walk_forward: { mode: 'rolling', train: 60, test: 30, step: 30, embargo: 20 },
    },
    'post /portfolios': {
      id: 'hostile_probe',
      name: 'probe',
      rule: { top_n: 3 },
      universe: 'equity_all',
      starting_cash: 1000,
      start_date: '2026-01-02',
    },
    'patch /portfolios/{id}': { trading_enabled: true },
    'post /kill-switch': { killed: false },
    'post /lifecycle/strategies': { strategy: 'sma_cross', reason: 'probe' },
    'post /lifecycle/strategies/{id}/actions': { action: 'pause', reason: 'probe' },
    'patch /lifecycle/config': { proposals_per_hour: 2 },
    'post /lifecycle/cycles': {},
    'post /learning/rules/{id}': { status: 'active', reason: 'probe' },
  };

  /** Where a template sits in each body that carries one. */
  const TEMPLATE_IN: Record<string, (t: unknown) => unknown> = {
    'post /templates': (t) => t,
    'post /templates/validate': (t) => t,
    'post /templates/preview': (template) => ({ template }),
    'put /templates/{id}': (t) => t,
  };

  /** Every documented route with a body: method, path, its URL and its valid body. */
  const bodyRoutes = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => {
          const key = `${method} ${path}`;
          expect(BASE_BODY, `a valid body for ${key}`).toHaveProperty([key]);
          const ref = op.requestBody!.content['application/json']!.schema.$ref;
          return {
            key,
            method: method.toUpperCase(),
            url: fill(path),
            base: BASE_BODY[key]!,
            schema: doc.components.schemas[ref.split('/').pop()!]!,
          };
        }),
    );

  /** Paths to every string in a JSON value (keys as a path of strings). */
  function stringPaths(value: unknown, path: string[] = []): string[][] {
    return leafPaths(value, path).filter((p) => typeof valueAt(value, p) === 'string');
  }

  /** Paths to every string, number and boolean in a JSON value. */
  function leafPaths(value: unknown, path: string[] = []): string[][] {
    if (typeof value !== 'object' || value === null) return [path];
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }

  const valueAt = (value: unknown, path: string[]): unknown =>
    path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);

  /** A deep copy of `value` with the value at `path` replaced. */
  function replaceAt(value: unknown, path: string[], replacement: unknown): unknown {
    if (path.length === 0) return replacement;
    const copy = structuredClone(value) as Record<string, unknown>;
    const [head, ...rest] = path;
    copy[head!] = replaceAt(copy[head!], rest, replacement);
    return copy;
  }

  /** `depth` levels of arrays or objects around a number, as JSON text built without recursion. */
  const nestedJson = (depth: number, kind: 'array' | 'object') =>
    kind === 'array'
      ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('dates: every date parameter refuses impossible and out-of-range dates with a 400, accepts real ones', async () => {
    calls = 0;
    let dateParams = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const url = fill(path);
        for (const p of (op.parameters ?? []).filter(
          (x) => x.in === 'query' && x.schema?.format === 'date',
        )) {
          dateParams++;
          for (const date of BAD_DATES) {
            const message = await expect400(
              method.toUpperCase(),
              `${url}?${p.name}=${encodeURIComponent(date)}`,
            );
            expect(message).toContain(p.name);
          }
          for (const date of GOOD_DATES) {
            const res = await expectNo500(method.toUpperCase(), `${url}?${p.name}=${date}`);
            expect(res.status, res.what).toBe(200);
          }
        }
      }
    }
    for (const route of bodyRoutes()) {
      for (const [field, fieldSchema] of Object.entries(route.schema.properties ?? {})) {
        if (fieldSchema.format !== 'date') continue;
        dateParams++;
        for (const date of BAD_DATES) {
          await expect400(route.method, route.url, JSON.stringify({ ...route.base, [field]: date }));
        }
      }
    }
    // /assets/{type}/{symbol}, /runs, /signals, /signals/feed, /reviews, /reviews/costs, /quality,
    // both scorecards, /news and an asset's news (since, until), and the preview and trigger bodies.
    expect(dateParams).toBeGreaterThanOrEqual(16);
    expect(calls).toBeGreaterThan(250);
  });

  it('nesting: bodies past the depth limit and templates past the condition limits are a 400 naming the limit', async () => {
    calls = 0;
    for (const route of bodyRoutes()) {
      const fields = new Set([...Object.keys(route.base), ...Object.keys(route.schema.properties ?? {})]);
      for (const field of fields) {
        for (const depth of [MAX_JSON_DEPTH + 1, 2_000, 100_000]) {
          for (const kind of ['array', 'object'] as const) {
            const body = JSON.stringify({ ...route.base, [field]: 0 }).replace(
              /:0([,}])/,
              `:${nestedJson(depth, kind)}$1`,
            );
            const message = await expect400(route.method, route.url, body);
            expect(message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
          }
        }
      }
      await expect400(route.method, route.url, nestedJson(2_000, 'array'));
    }
    const leaf = everyEquity('x').when;
    const chain = (depth: number, wrap: (c: unknown) => unknown) => {
      let when: unknown = leaf;
      for (let i = 1; i < depth; i++) when = wrap(when);
      return when;
    };
    const wraps = [
      (c: unknown) => ({ not: c }),
      (c: unknown) => ({ all: [c] }),
      (c: unknown) => ({ held: c, days: 1 }),
    ];
    await expectNo500('POST', '/templates', JSON.stringify(everyEquity('hostile_user')));
    let created = 0;
    for (const [key, wrapTemplate] of Object.entries(TEMPLATE_IN)) {
      const [method, path] = key.split(' ') as [string, string];
      const url = path.replace('{id}', 'hostile_user');
      const base = everyEquity('hostile_user');
      for (const wrap of wraps) {
        // POST /templates stores what it accepts: each template at the limit gets an id of its own.
        const id = key === 'post /templates' ? `deep_${++created}` : base.id;
        const atLimit = JSON.stringify(wrapTemplate({ ...base, id, when: chain(MAX_CONDITION_DEPTH, wrap) }));
        expect((await expectNo500(method.toUpperCase(), url, atLimit)).status).toBeLessThan(400);
        for (const depth of [MAX_CONDITION_DEPTH + 1, 2_000]) {
          const body = JSON.stringify(wrapTemplate({ ...base, when: chain(depth, wrap) }));
          expect(await expect400(method.toUpperCase(), url, body)).toMatch(
            new RegExp(`deeper than (${MAX_CONDITION_DEPTH}|${MAX_JSON_DEPTH}) levels`),
          );
        }
      }
      const wide = { all: Array.from({ length: MAX_CONDITIONS + 1 }, () => leaf) };
      const message = await expect400(
        method.toUpperCase(),
        url,
        JSON.stringify(wrapTemplate({ ...base, when: wide })),
      );
      expect(message).toContain(`the limit is ${MAX_CONDITIONS}`);
    }
    expect(calls).toBeGreaterThan(100);
  });

  it('every leaf of every valid body, nested template fields included, with each hostile value', async () => {
    calls = 0;
    const numbers = [-1, 0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER * 4, 1.5];
    for (const route of bodyRoutes()) {
      for (const path of leafPaths(route.base)) {
        for (const value of [...HOSTILE, ...numbers, null, true, [], {}]) {
          await expectNo500(route.method, route.url, JSON.stringify(replaceAt(route.base, path, value)));
        }
      }
    }
    expect(calls).toBeGreaterThan(2_000);
  });

  it('lone surrogates: any string or key of any body is a 400, and validate agrees with create', async () => {
    calls = 0;
    const bad = ['\ud800', 'x\udfff', '\udc00\ud800', 'ok \ud83d'];
    for (const route of bodyRoutes()) {
      const paths = stringPaths(route.base);
      for (const field of Object.keys(route.schema.properties ?? {})) paths.push([field]);
      for (const path of paths) {
        for (const text of bad) {
          const message = await expect400(
            route.method,
            route.url,
            JSON.stringify(replaceAt(route.base, path, text)),
          );
          expect(message).toContain('lone UTF-16 surrogate');
        }
      }
      await expect400(route.method, route.url, JSON.stringify({ ...route.base, '\ud800': 1 }));
      // A surrogate's own UTF-8 bytes are not UTF-8: decoding makes them U+FFFD, which is harmless text.
      const bytes = Buffer.from(JSON.stringify({ ...route.base, note: 'BYTES' }).replace('BYTES', '\u0000'));
      const raw = Buffer.concat([
        bytes.subarray(0, bytes.indexOf(0)),
        Buffer.from([0xed, 0xa0, 0x80]),
        bytes.subarray(bytes.indexOf(0) + 1),
      ]);
      await expectNo500(route.method, route.url, raw.toString('latin1'));
    }
    // The template editor's check and the store agree: what validate calls valid is stored, the rest is not.
    const valid = everyEquity('surrogate_probe');
    expect((await expectNo500('POST', '/templates/validate', JSON.stringify(valid))).json).toEqual({
      valid: true,
      issues: [],
    });
    for (const field of ['name', 'description']) {
      const body = JSON.stringify({ ...valid, [field]: 'RSI \ud800 low' });
      await expect400('POST', '/templates/validate', body);
      await expect400('POST', '/templates', body);
      expect((await expectNo500('GET', '/templates/surrogate_probe')).status).toBe(404);
    }
    expect((await expectNo500('POST', '/templates', JSON.stringify(valid))).status).toBe(201);
    expect(calls).toBeGreaterThan(100);
  });

  it('future run dates: POST /runs refuses a date after the market’s latest complete day, writing nothing', async () => {
    calls = 0;
    const tables = ['pipeline_runs', 'pipeline_jobs', 'data_quality_ledger', 'daily_bars'];
    const counts = async () =>
      Promise.all(
        tables.map(
          async (t) => (await ctx.sql`select count(*)::int as n from ${ctx.sql(t)}`)[0]!.n as number,
        ),
      );
    const before = await counts();
    const crypto = latestCompleteDay('crypto');
    const equity = latestCompleteDay('equity');
    const targets = [
      { asset_type: 'crypto', future: [addDays(crypto, 1), todayUtc()] },
      { asset_type: 'equity', future: [addDays(equity, 1)] },
      { universe: 'crypto_all', future: [addDays(crypto, 1)] },
      { universe: 'equity_all', future: [addDays(equity, 1)] },
      { future: [addDays([crypto, equity].sort()[1]!, 1)] },
    ];
    for (const stage of ['pipeline', 'ingest', 'features', 'signals', 'review']) {
      for (const { future, ...target } of targets) {
        for (const date of [...future, maxInputDate()]) {
          const message = await expect400('POST', '/runs', JSON.stringify({ stage, ...target, date }));
          expect(message).toMatch(/after the latest complete day/);
        }
        for (const date of ['2100-01-01', '9999-12-31', '0000-01-01']) {
          expect(await expect400('POST', '/runs', JSON.stringify({ stage, ...target, date }))).toMatch(
            /out of range/,
          );
        }
        await expect400(
          'POST',
          '/runs',
          JSON.stringify({ stage, ...target, from: '2026-01-01', date: '9999-12-31' }),
        );
      }
    }
    expect(await counts()).toEqual(before);

    // Defence in depth: the run planner itself refuses, so no caller can write a future run.
    const planned = startRun(ctx, { stage: 'ingest', date: addDays(equity, 1), universe: 'equity_all' });
    await expect(planned).rejects.toBeInstanceOf(AppError);
    await expect(planned).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await counts()).toEqual(before);

    // A future run stored before such dates were refused is not run again by a retry.
    const [legacy] = await ctx.sql<{ id: number }[]>`
      insert into pipeline_runs (stage, run_date, universe, status, params)
      values ('ingest', '9999-12-31', 'crypto_all', 'failed', '{}') returning id`;
    await ctx.sql`
      insert into pipeline_jobs (run_id, chunk, payload, status, attempts) values (${legacy!.id}, 0, '{}', 'failed', 3)`;
    expect(await expect400('POST', `/runs/${legacy!.id}/retry`)).toMatch(/after the latest complete day/);
    const [job] = await ctx.sql`select status from pipeline_jobs where run_id = ${legacy!.id}`;
    expect(job!.status).toBe('failed');
    await ctx.sql`delete from pipeline_runs where id = ${legacy!.id}`;

    // The latest complete day itself is accepted.
    const ok = await expectNo500(
      'POST',
      '/runs',
      JSON.stringify({ stage: 'signals', asset_type: 'equity', date: equity }),
    );
    expect(ok.status, ok.what).toBe(202);
    expect(calls).toBeGreaterThan(70);
  });

  describe('the local gateway over real HTTP', () => {
    let origin: URL;
    let close: () => Promise<void>;
    let dashboardDir: string;

    beforeAll(async () => {
      dashboardDir = mkdtempSync(join(tmpdir(), 'stratos-gateway-'));
      writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Stratos</title>');
      const gateway = createGateway(ctx, dashboardDir);
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: gateway.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      });
      answerParseErrorsAsJson(server as Server);
      origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      close = () => new Promise((resolve) => server.close(() => resolve()));
    });
    afterAll(async () => {
      await close();
      rmSync(dashboardDir, { recursive: true, force: true });
    });

    /** One raw HTTP request (any method, the path byte for byte), answered by the gateway. */
    function raw(method: string, path: string, headers: Record<string, string> = {}) {
      sent.requests++;
      return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>(
        (resolve, reject) => {
          const req = httpRequest(
            { host: origin.hostname, port: origin.port, method, path, headers },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                text += chunk;
              });
              res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
            },
          );
          req.on('error', reject);
          req.end();
        },
      );
    }

    /** A raw request that must get a JSON error or a normal answer, never a 5xx; returns the answer. */
    async function expectNo5xx(method: string, path: string, headers: Record<string, string> = {}) {
      const res = await raw(method, path, headers);
      if (res.status >= 500) sent.serverErrors++;
      const what = `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`;
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400 && method !== 'HEAD')
        expect(res.text.startsWith('{') ? JSON.parse(res.text) : res.text, what).toHaveProperty('error');
      return res;
    }

    it('methods no function answers are a 405 with Allow, on every path', async () => {
      const paths = [
        '/',
        '/dashboard-config.json',
        '/functions/v1/control-api',
        '/functions/v1/ingest-ohlcv',
      ];
      for (const [path, ops] of Object.entries(doc.paths)) {
        paths.push(`/functions/v1/control-api${fill(path)}`);
        for (const method of Object.keys(ops)) {
          const res = await expectNo5xx(
            method.toUpperCase(),
            `/functions/v1/control-api${fill(path)}`,
            AS.admin,
          );
          expect(res.status).not.toBe(405);
        }
      }
      for (const path of paths) {
        for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'LOCK', 'PURGE', 'SEARCH', 'REPORT']) {
          const res = await expectNo5xx(method, path, AS.admin);
          expect(res.status, `${method} ${path}`).toBe(405);
          expect(res.headers.allow).toContain('GET');
          expect(JSON.parse(res.text)).toMatchObject({ code: 'method_not_allowed' });
        }
      }
    });

    /** Bytes written straight to the socket, for requests an HTTP client refuses to send. */
    function rawBytes(bytes: string) {
      sent.requests++;
      return new Promise<string>((resolve, reject) => {
        const socket = connect(Number(origin.port), origin.hostname, () => socket.end(bytes));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          text += chunk;
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    }

    it('requests Node’s parser refuses before the gateway sees them get the JSON error shape', async () => {
      const cases: [string, number][] = [
        ['FOO /functions/v1/control-api/health HTTP/1.1\r\nHost: x\r\n\r\n', 400],
        ['GET functions/v1/control-api HTTP/1.1\r\nHost: x\r\n\r\n', 400],
        ['GET / HTTP/9.9\r\nHost: x\r\n\r\n', 400],
        ['GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 400],
        [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ];
      for (const [bytes, status] of cases) {
        const text = await rawBytes(bytes);
        const what = `${JSON.stringify(bytes.slice(0, 60))}: ${text.slice(0, 120)}`;
        expect(text.startsWith(`HTTP/1.1 ${status} `), what).toBe(true);
        expect(text, what).toMatch(/content-type: application\/json/i);
        expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)), what).toMatchObject({
          code: 'invalid_input',
        });
      }
    });

    it('malformed percent-encoding in the path is a 400', async () => {
      for (const prefix of [
        '/',
        '/functions/v1/',
        '/functions/v1/control-api/',
        '/functions/v1/control-api/templates/',
      ]) {
        for (const bad of ['%', '%E0%A4%A', '%ED%A0%80', '%FF', '%C0%AF', 'a%zz', '%%']) {
          for (const method of ['GET', 'POST', 'HEAD']) {
            expect((await expectNo5xx(method, `${prefix}${bad}`, AS.admin)).status).toBe(400);
          }
        }
      }
    });

    it('function names are looked up as names, never on the object prototype', async () => {
      const names = [
        'constructor',
        '__proto__',
        'hasOwnProperty',
        'toString',
        'valueOf',
        'prototype',
        '%63onstructor',
        '__proto__%2Fx',
        'bogus',
        '',
      ];
      for (const name of names) {
        for (const suffix of ['', '/', '/health', '/__proto__']) {
          for (const method of ['GET', 'POST', 'OPTIONS']) {
            const res = await expectNo5xx(method, `/functions/v1/${name}${suffix}`, AS.admin);
            if (name !== '') expect(res.status, `${method} /functions/v1/${name}${suffix}`).toBe(404);
          }
        }
      }
      for (const name of Object.keys(FUNCTIONS)) {
        expect((await expectNo5xx('GET', `/functions/v1/${name}/health`)).status).not.toBe(500);
      }
      const health = await expectNo5xx('GET', '/functions/v1/control-api/health');
      expect(health.status).toBe(200);
    });

    it('the dashboard paths never escape its folder and never fail', async () => {
      for (const path of [
        '/..%2f..%2fetc%2fpasswd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/%00',
        '/index.html%00.js',
        '/a/../../x',
        `/${'a'.repeat(5000)}`,
      ]) {
        const res = await expectNo5xx('GET', path);
        expect(res.text).not.toContain('root:');
      }
    });

    it('stage functions refuse future run dates too', async () => {
      const body = JSON.stringify({ asset_type: 'equity', date: maxInputDate() });
      const res = await new Promise<number>((resolve, reject) => {
        sent.requests++;
        const req = httpRequest(
          {
            host: origin.hostname,
            port: origin.port,
            method: 'POST',
            path: '/functions/v1/ingest-ohlcv',
            headers: {
              ...AS.service,
              authorization: `Bearer ${AS.service.apikey}`,
              'content-type': 'application/json',
            },
          },
          (r) => {
            r.resume();
            r.on('end', () => resolve(r.statusCode!));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(res).toBe(400);
    });
  });
});
