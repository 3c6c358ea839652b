import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture } from '../support/pipeline.ts';

// Every documented route, with hostile values in every path parameter, query parameter and body
// field: each must be answered with a JSON error (4xx) or a normal answer, never a 500.

type Operation = {
  parameters?: { name: string; in: 'path' | 'query' }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
type Schema = { type?: string; properties?: Record<string, Schema> };

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
  '__proto__',
  'constructor',
  b64('not json'),
  b64('{"s":"symbol","o":"asc","v":1,"k":"A","i":1}'),
  b64('{"s":"symbol","o":"asc","v":"A","k":"A","i":-5}'),
  b64('{"s":"rsi_14","o":"asc","v":"text","k":"A","i":1}'),
  b64('{"s":"symbol","o":"asc","v":null,"k":"\u0000","i":1}'),
  b64(`{"s":"symbol","o":"asc","v":"${'x'.repeat(300)}","k":"A","i":1}`),
];

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
  afterAll(() => db.drop());

  async function expectNo500(method: string, url: string, body?: string) {
    calls++;
    const res = await app.request(`/control-api${url}`, {
      method,
      headers: { ...AS.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    expect(
      res.status,
      `${method} ${url.slice(0, 200)} ${body?.slice(0, 100) ?? ''}: ${text.slice(0, 300)}`,
    ).toBeLessThan(500);
    if (res.status >= 400) expect(JSON.parse(text)).toHaveProperty('error');
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
});
