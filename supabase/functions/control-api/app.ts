import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import * as schemas from '../../../shared/api/contracts/index.ts';
import { openApiDocument } from '../../../shared/api/openapi.ts';
import { AppError } from '../../../shared/errors/index.ts';
import { requireRole } from '../../../shared/http/auth.ts';
import { errorBody, errorResponse, jsonBody, parseInput } from '../../../shared/http/errors.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { SignalTemplate } from '../../../shared/signals/schema.ts';
import { StrategySpec } from '../../../shared/strategy/spec.ts';
import { controlApiRoutes, type Route } from './routes.ts';

/** Headers a browser may send cross-origin: Supabase's credentials and JSON bodies. */
const CORS_HEADERS = ['apikey', 'authorization', 'content-type', 'x-client-info'];

/**
 * CORS for the configured origins only: other origins get no CORS headers at all, so browsers refuse
 * to let their pages read responses (and their preflights find no route).
 */
function corsFor(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  const handler = cors({
    origin: [...allowed],
    allowHeaders: CORS_HEADERS,
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS'],
    maxAge: 600,
  });
  return async (c, next) => (allowed.has(c.req.header('origin') ?? '') ? handler(c, next) : next());
}

/**
 * The query string with repeated keys kept: a key given once is a string, given more often an array
 * (which only the schemas' repeatable parameters accept; elsewhere it is a 400).
 */
function queryInput(c: Context): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/**
 * Postgres refuses NUL characters in text and jsonb; refusing them here keeps such input a 400 (the
 * JSON escape counts too, even where it would have been harmless).
 */
function refuseNul(values: Iterable<string>, what: string): void {
  for (const v of values) {
    if (v.includes('\0') || /\\u0000/i.test(v)) {
      throw new AppError('invalid_input', `${what} contains a NUL character`);
    }
  }
}

/** The handler that validates a route's input with its schemas and answers with its status. */
function handle(route: Route) {
  return async (c: Context) => {
    refuseNul([...Object.values(c.req.queries()).flat(), ...Object.values(c.req.param())], 'the URL');
    if (route.body) refuseNul([await c.req.text()], 'the request body');
    const raw = route.body ? await jsonBody(c) : undefined;
    const input = {
      query: route.query ? parseInput(route.query, queryInput(c), 'query') : undefined,
      params: route.params ? parseInput(route.params, c.req.param(), 'path') : undefined,
      body: route.body && route.validateBody ? parseInput(route.body, raw, 'request body') : undefined,
      raw,
    };
    const result = await route.handler(input, c);
    if (result instanceof Response) return result;
    return c.json(result as object, route.status as 200);
  };
}

/**
 * control-api: the dashboard's HTTP API over shared/api. Every route, its access rule and its schemas
 * come from one table (routes.ts) that also produces GET /openapi.json.
 */
export function createApp(ctx: PipelineContext) {
  const app = new Hono().basePath('/control-api');
  app.onError((err, c) => errorResponse(err, c, ctx.log));
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  app.use('*', corsFor(ctx.corsOrigins));

  let document: Record<string, unknown> | undefined;
  const routes = controlApiRoutes(ctx, () => {
    document ??= openApiDocument(
      routes,
      { ...schemas, SignalTemplate, StrategySpec },
      {
        title: 'Stratos control-api',
        version: '1',
        description:
          'Reads need the publishable key (`apikey`) or a signed-in user; writes need an admin ' +
          '(`Authorization: Bearer` with the admin token or an admin user’s token). Errors are `{error, code, details?}` with a stable `code`.',
        server: '/functions/v1/control-api',
      },
    );
    return document;
  });
  const readers = requireRole(ctx.auth, 'reader');
  const admins = requireRole(ctx.auth, 'admin');
  for (const r of routes) {
    const guard = r.access === 'admin' ? [admins] : r.access === 'reader' ? [readers] : [];
    app.on(r.method.toUpperCase(), [r.path], ...guard, handle(r));
  }
  return app;
}
