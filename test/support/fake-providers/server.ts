import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// Test support: the HTTP server every fake provider runs on. A provider module supplies the replies
// (real-shaped bodies from the provider's documented format); this file injects the faults.

/** A scripted fault for one request (or every request, with failAlways). */
export type Fault =
  /** An HTTP error with the provider's error body; `retryAfter` becomes the Retry-After header. */
  | { status: number; retryAfter?: string }
  /** Answers normally, but only after `delayMs` (past the client's timeout: a hang). */
  | { delayMs: number }
  /** 200 with the normal body cut off halfway, as a dropped connection leaves it. */
  | { truncated: true }
  /** 200 with a body that is not JSON at all (an HTML error page from a proxy). */
  | { malformed: true };

/** A request as the fake received it; `path` is relative to the fake's base URL. */
export interface FakeRequest {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

/** A normal reply: a JSON body and its status (200 unless given). */
export interface FakeReply {
  status?: number;
  body: unknown;
}

/** What a provider's fake defines. */
export interface FakeRoutes {
  /** The base URL's path (CoinGecko's API lives under /api/v3). */
  prefix?: string;
  reply(req: FakeRequest): FakeReply;
  /** The provider's error body for a status, as its API formats one (a string is sent as plain text). */
  errorBody(status: number): unknown;
}

/** A running fake provider. */
export interface FakeProviderServer {
  baseUrl: string;
  requests: FakeRequest[];
  /** Faults for the next requests, one each, in order; then normal replies again. */
  fail(...faults: Fault[]): void;
  /** A fault for every request from now on (null: stop). Takes precedence over fail(). */
  failAlways(fault: Fault | null): void;
  close(): Promise<void>;
}

/** Starts a fake on 127.0.0.1 with a free port. */
export async function startFakeServer(routes: FakeRoutes): Promise<FakeProviderServer> {
  const prefix = routes.prefix ?? '';
  const requests: FakeRequest[] = [];
  const queue: Fault[] = [];
  let always: Fault | null = null;
  const app = new Hono();

  app.get('*', async (c) => {
    const url = new URL(c.req.url);
    const req: FakeRequest = {
      path: url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: c.req.header(),
    };
    requests.push(req);
    const fault = always ?? queue.shift();
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      const body = routes.errorBody(fault.status);
      // Some providers answer errors in plain text (Yahoo's 429 is "Too Many Requests").
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const type = typeof body === 'string' ? 'text/plain' : 'application/json';
      return c.body(text, fault.status as 500, { ...headers, 'content-type': type });
    }
    if (fault && 'malformed' in fault) {
      return c.body('<html><body><h1>502 Bad Gateway</h1></body></html>', 200, {
        'content-type': 'application/json',
      });
    }
    if (fault && 'delayMs' in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const reply = routes.reply(req);
    const text = JSON.stringify(reply.body);
    const body = fault && 'truncated' in fault ? text.slice(0, Math.floor(text.length / 2)) : text;
    return c.body(body, (reply.status ?? 200) as 200, { 'content-type': 'application/json' });
  });

  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve({
        baseUrl: `http://127.0.0.1:${info.port}${prefix}`,
        requests,
        fail: (...faults) => queue.push(...faults),
        failAlways: (fault) => {
          always = fault;
        },
        close: () =>
          new Promise((done) => {
            // A hung request is still open; close must not wait for it.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A query parameter the client must have sent. */
export function param(req: FakeRequest, name: string): string {
  const value = req.query[name];
  if (value === undefined) throw new Error(`fake: request to ${req.path} lacks ?${name}`);
  return value;
}
