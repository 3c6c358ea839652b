import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Duplex } from 'node:stream';
import { type Context, Hono } from 'hono';
import { AppError, type ErrorCode } from '../../shared/errors/index.ts';
import { errorBody, errorResponse } from '../../shared/http/errors.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp as aiReview } from '../../supabase/functions/ai-review/app.ts';
import { createApp as calcFeatures } from '../../supabase/functions/calc-features/app.ts';
import { createApp as controlApi } from '../../supabase/functions/control-api/app.ts';
import { createApp as evaluateSignals } from '../../supabase/functions/evaluate-signals/app.ts';
import { createApp as ingestNews } from '../../supabase/functions/ingest-news/app.ts';
import { createApp as ingestOhlcv } from '../../supabase/functions/ingest-ohlcv/app.ts';
import { createApp as lifecycle } from '../../supabase/functions/lifecycle/app.ts';
import { createApp as runBacktest } from '../../supabase/functions/run-backtest/app.ts';
import { createApp as scoreSentiment } from '../../supabase/functions/score-sentiment/app.ts';
import { createApp as trade } from '../../supabase/functions/trade/app.ts';

/** Every Edge Function, by the name it is deployed under. */
export const FUNCTIONS = {
  'ingest-ohlcv': ingestOhlcv,
  'ingest-news': ingestNews,
  'calc-features': calcFeatures,
  'run-backtest': runBacktest,
  'score-sentiment': scoreSentiment,
  'evaluate-signals': evaluateSignals,
  'ai-review': aiReview,
  trade,
  lifecycle,
  'control-api': controlApi,
} as const;

/** The methods the functions and the dashboard answer; anything else is a 405. */
const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Whether every `%` of a path starts a valid percent-encoded UTF-8 sequence. */
function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Node's HTTP parser refuses some requests before the gateway sees them (an unknown method token, a
 * malformed request line, headers over 16 KB); they get the one JSON error shape too, not Node's bare 400.
 */
export function answerParseErrorsAsJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      errorBody('invalid_input', tooLarge ? 'request headers are too large' : 'malformed HTTP request'),
    );
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/**
 * The local equivalent of a Supabase project's gateway: `/functions/v1/<name>/...` reaches the
 * function's app with the path the Edge Runtime would give it (`/<name>/...`), and `/` serves the
 * built dashboard.
 */
export function createGateway(ctx: PipelineContext, dashboardDir: string) {
  // The whole process's CPU: an upper bound for one request's when requests overlap, so drains stay
  // inside the budget (the Edge Runtime has no per-request clock; see supabase/functions/_shared).
  const cpuClock = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  // A Map, so a name such as `constructor` or `__proto__` is unknown rather than found on Object.prototype.
  const apps = new Map(Object.entries(FUNCTIONS).map(([name, create]) => [name, create(ctx, { cpuClock })]));
  const gateway = new Hono();
  const refuse = (c: Context, code: ErrorCode, message: string) =>
    errorResponse(new AppError(code, message), c, ctx.log);
  gateway.onError((err, c) => errorResponse(err, c, ctx.log));
  gateway.notFound((c) => refuse(c, 'not_found', `no route ${c.req.method} ${c.req.path}`));
  // The Fetch API cannot build a Request for TRACE or CONNECT, and no function answers them.
  gateway.use('*', async (c, next) => {
    if (!ALLOWED_METHODS.includes(c.req.method)) {
      c.header('allow', ALLOWED_METHODS.join(', '));
      return refuse(c, 'method_not_allowed', `method ${c.req.method} is not allowed`);
    }
    if (!isDecodable(new URL(c.req.url).pathname)) {
      return refuse(c, 'invalid_input', 'the URL path has a malformed percent-encoding');
    }
    await next();
  });
  /** Hands the request to a function's app with the path the Edge Runtime would give it. */
  const forward = (c: Context, rest: string) => {
    const name = c.req.param('name') ?? '';
    const app = apps.get(name);
    if (!app) return refuse(c, 'not_found', `no function "${name.slice(0, 100)}"`);
    const url = new URL(c.req.url);
    url.pathname = `/${name}${rest}`;
    return app.fetch(new Request(url, c.req.raw));
  };
  gateway.all('/functions/v1/:name/*', (c) =>
    forward(c, new URL(c.req.url).pathname.replace(/^\/functions\/v1\/[^/]*/, '')),
  );
  gateway.all('/functions/v1/:name', (c) => forward(c, ''));
  // What the dashboard needs to call control-api; the publishable key is public by design.
  gateway.get('/dashboard-config.json', (c) =>
    c.json({
      apiBase: '/functions/v1/control-api',
      publishableKey: ctx.auth.publishableKeys[0] ?? '',
      supabaseUrl: null,
    }),
  );
  gateway.get('/*', (c) => {
    const rel = normalize(decodeURIComponent(new URL(c.req.url).pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dashboardDir, rel);
    if (!file.startsWith(dashboardDir) || !existsSync(file) || statSync(file).isDirectory()) {
      file = join(dashboardDir, 'index.html');
    }
    if (!existsSync(file)) return c.text('dashboard not built: run npm run build:dashboard', 503);
    return new Response(readFileSync(file), {
      headers: { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' },
    });
  });
  return gateway;
}
