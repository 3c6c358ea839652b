import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// Test support: the HTTP server both fake brokers run on. A broker module answers requests from its
// own state (orders, positions, account) in the broker's documented format; this file injects the
// faults, each aimed at the next request matching a method and path.

/** A request as the fake received it; `path` is relative to the fake's base URL. */
export interface BrokerRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: the fake reads the fields the adapter sent.
  body: any;
}

/** A reply: a JSON body (or none, for 204) and its status. */
export interface BrokerReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A scripted fault. `status`: an error before the broker looks at the request (nothing happens);
 * `hangBeforeMs`: no answer for that long, nothing happens; `acceptThenHangMs`: the broker does the
 * work (an order is accepted) and the answer comes only after that long, past the client's timeout;
 * `malformed`: a proxy's HTML page instead of JSON, the broker having done the work only if `accepted`.
 */
export type BrokerFault =
  | { status: number; body?: unknown; retryAfter?: string; headers?: Record<string, string> }
  | { hangBeforeMs: number }
  | { acceptThenHangMs: number }
  | { malformed: true; accepted?: boolean };

/** A running fake broker. */
export interface FakeBrokerServer {
  baseUrl: string;
  requests: BrokerRequest[];
  /** Faults for the next requests matching `route` (`'POST /v2/orders'`, or `'*'`), one each, in order. */
  fail(route: string, ...faults: BrokerFault[]): void;
  /** Requests received for a route (`'POST /v2/orders'`). */
  count(route: string): number;
  close(): Promise<void>;
}

/** The broker's part: the base path, its answers, and its error body for a fault status. */
export interface BrokerRoutes {
  prefix?: string;
  handle(req: BrokerRequest): BrokerReply;
  errorBody(status: number): unknown;
}

/** `'POST /v2/orders/{id}'` matches a request when the method is equal and each `{...}` part matches one segment. */
function matches(route: string, req: BrokerRequest): boolean {
  if (route === '*') return true;
  const [method, pattern = ''] = route.split(' ');
  if (method !== req.method) return false;
  const want = pattern.split('/');
  const got = req.path.split('/');
  return want.length === got.length && want.every((part, i) => part.startsWith('{') || part === got[i]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a fake broker on 127.0.0.1 with a free port. */
export async function startBrokerServer(routes: BrokerRoutes): Promise<FakeBrokerServer> {
  const prefix = routes.prefix ?? '';
  const requests: BrokerRequest[] = [];
  const faults: { route: string; fault: BrokerFault }[] = [];
  const app = new Hono();

  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    const text = await c.req.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      return c.json({ error: 'malformed JSON body' }, 400);
    }
    const req: BrokerRequest = {
      method: c.req.method,
      path: url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: c.req.header(),
      body,
    };
    requests.push(req);
    const at = faults.findIndex((f) => matches(f.route, req));
    const fault = at >= 0 ? faults.splice(at, 1)[0]?.fault : undefined;
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {
        ...fault.headers,
        ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
      };
      return c.json(fault.body ?? routes.errorBody(fault.status), fault.status as 500, headers);
    }
    if (fault && 'malformed' in fault) {
      if (fault.accepted) routes.handle(req);
      return c.body('<html><body><h1>502 Bad Gateway</h1></body></html>', 200, {
        'content-type': 'application/json',
      });
    }
    if (fault && 'hangBeforeMs' in fault) {
      await sleep(fault.hangBeforeMs);
      return c.json(routes.errorBody(504), 504);
    }
    const reply = routes.handle(req);
    if (fault && 'acceptThenHangMs' in fault) await sleep(fault.acceptThenHangMs);
    if (reply.body === undefined) return c.body(null, reply.status as 204, reply.headers);
    return c.json(reply.body, reply.status as 200, reply.headers);
  });

  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve({
        baseUrl: `http://127.0.0.1:${info.port}${prefix}`,
        requests,
        fail: (route, ...list) => faults.push(...list.map((fault) => ({ route, fault }))),
        count: (route) => requests.filter((r) => matches(route, r)).length,
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
