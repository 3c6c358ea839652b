import type { z } from 'zod';
import { AppError, errorMessage, formatIssues } from '../../errors/index.ts';
import { type BreakerOptions, CircuitBreaker } from './circuit-breaker.ts';
import { type Clock, systemClock } from './clock.ts';
import { ConcurrencyLimiter } from './concurrency.ts';
import { backoffDelay, parseRetryAfter } from './retry.ts';
import { type RateLimit, TokenBucket } from './token-bucket.ts';

/** How politely and how patiently one provider is called. */
export interface HttpLimits {
  /** Every bucket must grant a token before a request goes out (e.g. per hour and per day). */
  rates: readonly RateLimit[];
  /** Requests in flight at once. */
  concurrency: number;
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  /** Further attempts after the first, for retryable failures. */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * The longest a request may wait for a rate-limit token or a Retry-After. Longer waits fail at
   * once (retryable), so the symbols move on to the next provider instead of outliving the job lease.
   */
  maxWaitMs: number;
  breaker: BreakerOptions;
}

/** Defaults every provider starts from; each sets its own `rates` from the provider's published limits. */
export const DEFAULT_LIMITS: Omit<HttpLimits, 'rates'> = {
  concurrency: 4,
  timeoutMs: 15_000,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  // Half the default job lease (STRATOS_LEASE_SECONDS = 120).
  maxWaitMs: 60_000,
  breaker: { failureThreshold: 5, cooldownMs: 30_000 },
};

/** Merges a provider's defaults with caller overrides (tests, configuration). */
function resolveLimits(defaults: HttpLimits, overrides: Partial<HttpLimits> = {}): HttpLimits {
  return { ...defaults, ...overrides, breaker: { ...defaults.breaker, ...overrides.breaker } };
}

/** What a provider module passes to build its client. */
export interface HttpClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  /** Values (API keys) that must never appear in an error message, whatever the server echoes. */
  secrets?: readonly (string | undefined)[];
  /**
   * A header giving, in epoch seconds, when a rate-limit window resets (Alpaca's X-RateLimit-Reset):
   * a 429 without Retry-After waits until then.
   */
  rateLimitReset?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  limits: HttpLimits;
}

/** One provider's connection state: its rate buckets, concurrency slots and circuit breaker. */
export interface HttpClient {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly limits: HttpLimits;
  readonly clock: Clock;
  readonly fetch: typeof fetch;
  readonly buckets: readonly TokenBucket[];
  readonly limiter: ConcurrencyLimiter;
  readonly breaker: CircuitBreaker;
  readonly secrets: readonly string[];
  readonly rateLimitReset?: string;
  /** Epoch ms before which no request goes out, set by a Retry-After so concurrent requests hold too. */
  blockedUntil: number;
}

/** What every HTTP provider accepts besides its keys: another base URL, and fetch, clock and limits for tests and tuning. */
export interface ProviderHttpOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  limits?: Partial<HttpLimits>;
}

/** A provider's client: its own base URL, headers, secrets and limits, with what `opts` overrides. */
export function providerClient(own: HttpClientOptions, opts: ProviderHttpOptions): HttpClient {
  return createHttpClient({
    ...own,
    baseUrl: opts.baseUrl ?? own.baseUrl,
    limits: resolveLimits(own.limits, opts.limits),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
}

/** Builds the client a provider sends all its requests through. */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const clock = opts.clock ?? systemClock;
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
  return {
    baseUrl,
    headers: { accept: 'application/json', ...opts.headers },
    limits: opts.limits,
    clock,
    fetch: fetchFn,
    buckets: opts.limits.rates.map((r) => new TokenBucket(r, clock)),
    limiter: new ConcurrencyLimiter(opts.limits.concurrency),
    breaker: new CircuitBreaker(new URL(baseUrl).host, opts.limits.breaker, clock),
    // Short strings would redact ordinary words; real keys are long.
    secrets: (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6),
    blockedUntil: 0,
    ...(opts.rateLimitReset ? { rateLimitReset: opts.rateLimitReset } : {}),
  };
}

/** A request: query parameters (undefined ones are left out) and the zod schema the body must meet. */
export interface JsonRequest<S extends z.ZodType> {
  query?: Record<string, string | number | undefined>;
  schema: S;
  /** GET unless given; a `body` is sent as JSON (brokers' order endpoints). */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /**
   * Overrides the client's retries for this request: a non-idempotent POST passes 0 and decides
   * itself what a timeout means (a broker looks the order up before sending it again).
   */
  retries?: number;
}

type Attempt =
  | { kind: 'json'; value: unknown }
  | { kind: 'malformed'; reason: string }
  | { kind: 'status'; status: number; retryAfter: string | null; text: string }
  | { kind: 'network'; timeout: boolean; reason: string };

/**
 * Requests `path` (GET unless `init.method`; relative to the client's base URL, may carry its own query) and returns the body
 * validated by `schema`. Network errors, timeouts, 408, 429 and 5xx are retried with exponential
 * backoff and full jitter, honouring Retry-After; once retries run out they throw a retryable
 * `provider_unavailable`. Other 4xx throw a non-retryable `provider_rejected` at once. A body that
 * is not JSON is retried once, then rejected; JSON of the wrong shape is rejected at once.
 */
export async function requestJson<S extends z.ZodType>(
  client: HttpClient,
  path: string,
  init: JsonRequest<S>,
): Promise<z.infer<S>> {
  const url = new URL(client.baseUrl + path);
  for (const [key, value] of Object.entries(init.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  // Messages name host and path, never the query: keys sent as parameters by a proxy stay out of logs.
  const where = `${url.host}${url.pathname}`;
  const { limits, clock, breaker } = client;
  let malformed = 0;

  for (let attempt = 0; ; attempt++) {
    breaker.check();
    await waitForTurn(client, where);
    breaker.admit();
    const result = await client.limiter.run(() => attemptOnce(client, url, init));
    const last = attempt >= (init.retries ?? limits.retries);
    let failure: AppError;
    let retryAfterMs: number | null = null;

    if (result.kind === 'json') {
      breaker.success();
      const parsed = init.schema.safeParse(result.value);
      if (parsed.success) return parsed.data;
      throw fail(client, 'provider_rejected', `unexpected response from ${where}: ${issues(parsed.error)}`, {
        where,
      });
    }
    if (result.kind === 'malformed') {
      breaker.failure();
      malformed++;
      const message = `malformed JSON from ${where}: ${result.reason}`;
      if (malformed > 1 || last) throw fail(client, 'provider_rejected', message, { where });
      failure = fail(client, 'provider_unavailable', message, { where });
    } else if (result.kind === 'network') {
      breaker.failure();
      const message = result.timeout
        ? `timed out after ${limits.timeoutMs} ms waiting for ${where}`
        : `network error on ${where}: ${result.reason}`;
      failure = fail(client, 'provider_unavailable', message, { where });
    } else {
      const { status } = result;
      const message = `HTTP ${status} from ${where}: ${serverMessage(result.text)}`;
      const retryable = status === 408 || status === 429 || status >= 500;
      if (!retryable) {
        breaker.success();
        throw fail(client, 'provider_rejected', message, { where, status });
      }
      // A 429 says the provider is up and we are too fast; only server failures count toward the breaker.
      if (status === 429) breaker.success();
      else breaker.failure();
      failure = fail(client, 'provider_unavailable', message, { where, status });
      retryAfterMs = parseRetryAfter(result.retryAfter, clock.now());
      if (retryAfterMs !== null && retryAfterMs > limits.maxWaitMs) {
        throw fail(
          client,
          'provider_unavailable',
          `${message} (Retry-After ${Math.ceil(retryAfterMs / 1000)} s is longer than the ${limits.maxWaitMs / 1000} s a request may wait)`,
          { where, status },
        );
      }
      if (retryAfterMs !== null)
        client.blockedUntil = Math.max(client.blockedUntil, clock.now() + retryAfterMs);
    }

    if (last) {
      const attempts = attempt + 1;
      throw fail(client, failure.code, `${failure.message} (${attempts} attempts)`, {
        ...(failure.options.details as object),
        attempts,
      });
    }
    const delay =
      retryAfterMs ?? backoffDelay(attempt, limits.backoffBaseMs, limits.backoffMaxMs, clock.random);
    await clock.sleep(delay);
  }
}

async function waitForTurn(client: HttpClient, where: string): Promise<void> {
  const { clock, buckets, limits } = client;
  const blocked = Math.max(0, client.blockedUntil - clock.now());
  const wait = Math.max(blocked, ...buckets.map((b) => b.waitTime()));
  if (wait > limits.maxWaitMs) {
    throw fail(
      client,
      'provider_unavailable',
      `rate limit for ${where}: the next request may go out in ${Math.ceil(wait / 1000)} s, longer than the ${limits.maxWaitMs / 1000} s a request may wait`,
      { where, rateLimited: true },
    );
  }
  const reserved = Math.max(blocked, ...buckets.map((b) => b.reserve()));
  if (reserved > 0) await clock.sleep(reserved);
}

async function attemptOnce(
  client: HttpClient,
  url: URL,
  init: Pick<JsonRequest<z.ZodType>, 'method' | 'body'>,
): Promise<Attempt> {
  try {
    const hasBody = init.body !== undefined;
    const res = await client.fetch(url, {
      method: init.method ?? 'GET',
      headers: hasBody ? { ...client.headers, 'content-type': 'application/json' } : client.headers,
      ...(hasBody ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(client.limits.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok)
      return { kind: 'status', status: res.status, retryAfter: retryAfter(client, res.headers), text };
    // 204 No Content (a broker's cancel) has no body to parse.
    if (res.status === 204) return { kind: 'json', value: null };
    try {
      return { kind: 'json', value: JSON.parse(text) };
    } catch (err) {
      return { kind: 'malformed', reason: text.trim() === '' ? 'empty body' : errorMessage(err) };
    }
  } catch (err) {
    // The timeout signal is the only abort we set, so an abort while reading the body is a timeout too.
    const name = err instanceof Error ? err.name : '';
    return { kind: 'network', timeout: name === 'TimeoutError' || name === 'AbortError', reason: cause(err) };
  }
}

/** Retry-After, or else the rate-limit reset header as the HTTP date it names. */
function retryAfter(client: HttpClient, headers: Headers): string | null {
  const header = headers.get('retry-after');
  if (header !== null || !client.rateLimitReset) return header;
  const reset = Number(headers.get(client.rateLimitReset));
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toUTCString() : null;
}

function cause(err: unknown): string {
  const inner =
    err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = inner?.code ?? inner?.message;
  return detail ? `${errorMessage(err)} (${detail})` : errorMessage(err);
}

function fail(
  client: HttpClient,
  code: AppError['code'],
  message: string,
  details: Record<string, unknown>,
): AppError {
  let text = message;
  for (const secret of client.secrets) text = text.split(secret).join('[redacted]');
  return new AppError(code, text, { details });
}

function issues(error: z.ZodError): string {
  const text = formatIssues(error.issues);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// Where providers put the human-readable part of an error body: Alpaca `message`, Polygon `error`,
// Tiingo `detail`, CoinGecko `error` or `status.error_message`, Yahoo `chart.error.description`.
const MESSAGE_KEYS = ['message', 'error_message', 'error', 'detail', 'description'];

function findMessage(value: unknown, depth: number): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (value === null || typeof value !== 'object' || depth > 3) return null;
  const record = value as Record<string, unknown>;
  for (const key of MESSAGE_KEYS) {
    const found = findMessage(record[key], depth + 1);
    if (found) return found;
  }
  for (const nested of Object.values(record)) {
    if (nested !== null && typeof nested === 'object') {
      const found = findMessage(nested, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** One short line from an error body: its message field if it is JSON, else its text without markup. */
function serverMessage(text: string): string {
  let found: string | null = null;
  try {
    found = findMessage(JSON.parse(text), 0);
  } catch {
    // Not JSON (an HTML error page from a proxy, plain text): fall through to the text itself.
  }
  const line = (found ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  if (!line) return 'no message';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
