import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVirtualClock, type VirtualClock } from '../../../test/support/fake-providers/clock.ts';
import { AppError } from '../../errors/index.ts';
import { createHttpClient, DEFAULT_LIMITS, type HttpLimits, requestJson } from './client.ts';
import { perMinute } from './token-bucket.ts';

const KEY = 'pk_live_DO_NOT_LEAK_0123456789';
const Body = z.object({ ok: z.boolean() });

type Step = Response | Error | 'hang' | (() => Response);

/** A fetch that answers from a script, one step per call (the last step repeats), and logs calls. */
function scriptedFetch(...steps: Step[]) {
  const calls: { url: string; headers: Headers }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers) });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    if (step === 'hang') {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
      });
    }
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step() : step.clone();
  }) as typeof fetch;
  return { fetchFn, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(fetchFn: typeof fetch, clock: VirtualClock, limits: Partial<HttpLimits> = {}) {
  return createHttpClient({
    baseUrl: 'https://api.example.com/v1/',
    headers: { authorization: `Bearer ${KEY}` },
    secrets: [KEY],
    fetch: fetchFn,
    clock,
    limits: { ...DEFAULT_LIMITS, rates: [perMinute(1_000)], ...limits },
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('requestJson', () => {
  it('GETs base URL + path with the query and headers, and returns the validated body', async () => {
    const { fetchFn, calls } = scriptedFetch(json({ ok: true, extra: 'ignored' }));
    const clock = createVirtualClock();
    const body = await requestJson(client(fetchFn, clock), '/bars', {
      schema: Body,
      query: { symbols: 'AAPL,MSFT', limit: 10, page_token: undefined },
    });
    expect(body).toEqual({ ok: true });
    expect(calls[0]!.url).toBe('https://api.example.com/v1/bars?symbols=AAPL%2CMSFT&limit=10');
    expect(calls[0]!.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(calls[0]!.headers.get('accept')).toBe('application/json');
    expect(clock.sleeps).toEqual([]);
  });

  it('waits exactly as long as Retry-After says on 429 and 503 (seconds or HTTP date), then succeeds', async () => {
    const clock = createVirtualClock();
    // An HTTP date counts from when it arrives: after the first 7 s wait, 12 s remain.
    const date = new Date(clock.now() + 19_000).toUTCString();
    const { fetchFn, calls } = scriptedFetch(
      json({ message: 'slow down' }, 429, { 'retry-after': '7' }),
      json({ message: 'maintenance' }, 503, { 'retry-after': date }),
      json({ ok: true }),
    );
    expect(await requestJson(client(fetchFn, clock), '/x', { schema: Body })).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    expect(clock.sleeps).toEqual([7_000, 12_000]);
  });

  it('backs off exponentially with full jitter on 5xx and gives up as retryable provider_unavailable', async () => {
    const { fetchFn, calls } = scriptedFetch(json({ message: 'upstream exploded' }, 503));
    const clock = createVirtualClock();
    const err = await rejection(requestJson(client(fetchFn, clock), '/x', { schema: Body }));
    expect(calls).toHaveLength(4);
    // random() = 0.5 of base 500 ms doubling: 250, 500, 1000.
    expect(clock.sleeps).toEqual([250, 500, 1_000]);
    expect(err.code).toBe('provider_unavailable');
    expect(err.retryable).toBe(true);
    expect(err.message).toBe('HTTP 503 from api.example.com/v1/x: upstream exploded (4 attempts)');
    expect(err.options.details).toMatchObject({ status: 503, attempts: 4 });
  });

  it('fails at once, retryable, when Retry-After asks for longer than a request may wait', async () => {
    const { fetchFn, calls } = scriptedFetch(json({ error: 'quota' }, 429, { 'retry-after': '3600' }));
    const clock = createVirtualClock();
    const err = await rejection(requestJson(client(fetchFn, clock), '/x', { schema: Body }));
    expect(calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/Retry-After 3600 s is longer than the 60 s a request may wait/);
  });

  it('rejects a 4xx at once, non-retryable, in one line without the key the server echoed', async () => {
    const { fetchFn, calls } = scriptedFetch(
      json({ status: 'NOT_FOUND', error: `Ticker ZZZZ not found.\nYour key ${KEY} is fine.` }, 404),
    );
    const err = await rejection(
      requestJson(client(fetchFn, createVirtualClock()), '/ticker/ZZZZ', { schema: Body }),
    );
    expect(calls).toHaveLength(1);
    expect(err.code).toBe('provider_rejected');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(
      'HTTP 404 from api.example.com/v1/ticker/ZZZZ: Ticker ZZZZ not found. Your key [redacted] is fine.',
    );
    expect(err.message).not.toContain(KEY);
  });

  it('times out a hanging request, retries it, and reports the timeout if it keeps hanging', async () => {
    const clock = createVirtualClock();
    const once = scriptedFetch('hang', json({ ok: true }));
    expect(await requestJson(client(once.fetchFn, clock, { timeoutMs: 30 }), '/x', { schema: Body })).toEqual(
      {
        ok: true,
      },
    );
    expect(once.calls).toHaveLength(2);

    const always = scriptedFetch('hang');
    const err = await rejection(
      requestJson(client(always.fetchFn, clock, { timeoutMs: 30, retries: 1 }), '/x', { schema: Body }),
    );
    expect(err.message).toBe('timed out after 30 ms waiting for api.example.com/v1/x (2 attempts)');
    expect(err.retryable).toBe(true);
  });

  it('retries network errors and names their cause', async () => {
    const refused = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    const { fetchFn } = scriptedFetch(refused);
    const err = await rejection(
      requestJson(client(fetchFn, createVirtualClock(), { retries: 2 }), '/x', { schema: Body }),
    );
    expect(err.message).toBe(
      'network error on api.example.com/v1/x: fetch failed (ECONNREFUSED) (3 attempts)',
    );
  });

  it('retries a malformed or truncated body once, then rejects it as provider_rejected', async () => {
    const truncated = () => new Response('{"ok": tr', { status: 200 });
    const recovers = scriptedFetch(truncated, json({ ok: true }));
    expect(await requestJson(client(recovers.fetchFn, createVirtualClock()), '/x', { schema: Body })).toEqual(
      {
        ok: true,
      },
    );

    const broken = scriptedFetch(() => new Response('<html>502 Bad Gateway</html>', { status: 200 }));
    const err = await rejection(
      requestJson(client(broken.fetchFn, createVirtualClock()), '/x', { schema: Body }),
    );
    expect(broken.calls).toHaveLength(2);
    expect(err.code).toBe('provider_rejected');
    expect(err.message).toMatch(/^malformed JSON from api\.example\.com\/v1\/x: /);
  });

  it('rejects JSON of the wrong shape at once, naming the field', async () => {
    const { fetchFn, calls } = scriptedFetch(json({ ok: 'yes' }));
    const err = await rejection(requestJson(client(fetchFn, createVirtualClock()), '/x', { schema: Body }));
    expect(calls).toHaveLength(1);
    expect(err.code).toBe('provider_rejected');
    expect(err.message).toMatch(/^unexpected response from api\.example\.com\/v1\/x: ok: /);
  });

  it('opens the circuit in a 5xx storm, then fails fast without calling the provider', async () => {
    const { fetchFn, calls } = scriptedFetch(json({ message: 'down' }, 500));
    const clock = createVirtualClock();
    const c = client(fetchFn, clock, { breaker: { failureThreshold: 3, cooldownMs: 30_000 } });
    const first = await rejection(requestJson(c, '/x', { schema: Body }));
    expect(calls).toHaveLength(3);
    expect(first.message).toMatch(/^circuit open for api\.example\.com after 3 consecutive failures/);
    const second = await rejection(requestJson(c, '/y', { schema: Body }));
    expect(second.retryable).toBe(true);
    expect(calls).toHaveLength(3);
    expect(() => c.breaker.check()).toThrow(/^circuit open/);
  });

  it('paces requests by the rate limit and fails fast when the next token is too far away', async () => {
    const { fetchFn, calls } = scriptedFetch(json({ ok: true }));
    const clock = createVirtualClock();
    const c = client(fetchFn, clock, { rates: [perMinute(2)], maxWaitMs: 45_000 });
    await Promise.all([1, 2, 3].map(() => requestJson(c, '/x', { schema: Body })));
    expect(clock.sleeps).toEqual([30_000]);
    await requestJson(c, '/x', { schema: Body });
    const err = await rejection(
      Promise.all([requestJson(c, '/x', { schema: Body }), requestJson(c, '/x', { schema: Body })]),
    );
    expect(err.message).toMatch(
      /^rate limit for api\.example\.com\/v1\/x: the next request may go out in \d+ s/,
    );
    expect(err.retryable).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(4);
  });

  it('holds concurrent requests while a Retry-After is running', async () => {
    let served = 0;
    const { fetchFn } = scriptedFetch(() =>
      served++ === 0 ? json({ message: 'slow down' }, 429, { 'retry-after': '5' }) : json({ ok: true }),
    );
    const clock = createVirtualClock();
    const c = client(fetchFn, clock, { concurrency: 1 });
    await Promise.all([requestJson(c, '/a', { schema: Body }), requestJson(c, '/b', { schema: Body })]);
    expect(clock.sleeps.filter((ms) => ms >= 4_000).length).toBeGreaterThanOrEqual(1);
    expect(c.blockedUntil).toBeGreaterThan(0);
  });
});
