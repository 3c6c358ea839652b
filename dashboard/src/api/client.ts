import type { ApiError } from '../../../shared/api/contracts/errors.ts';
import { configFromEnv, type DashboardConfig } from '../config.ts';

// The one place that talks HTTP to the control-api. Every request sends the publishable key as
// `apikey`; writes also send `Authorization: Bearer` with the admin token or the signed-in user's
// access token (never baked into the bundle: both come from the settings dialog at run time).

let config: DashboardConfig = configFromEnv(import.meta.env);
let bearerSource: () => string | null = () => null;
const deniedListeners = new Set<(err: ApiRequestError) => void>();

/** Points the client at a control-api; main.tsx calls it once the runtime config is loaded. */
export function configureApi(next: DashboardConfig): void {
  config = next;
}

/** The configuration requests use now. */
export function apiConfig(): DashboardConfig {
  return config;
}

/** Where writes get their bearer token from (the auth provider registers the current session or token). */
export function setBearerSource(source: () => string | null): void {
  bearerSource = source;
}

/** Subscribes to writes refused with 401/403, so the shell can say an admin token is needed. */
export function onWriteDenied(listener: (err: ApiRequestError) => void): () => void {
  deniedListeners.add(listener);
  return () => deniedListeners.delete(listener);
}

/** A failed control-api call. `message` is the server's `error` when it sent one; status 0 means no response. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly details: unknown;

  constructor(message: string, status: number, details?: unknown) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.details = details;
  }

  /** Client errors will not change on retry. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500;
  }

  /** The credentials were missing (401) or too weak (403). */
  get denied(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** Query parameters; an array repeats the key (`range=a&range=b`), empty values are left out. */
export type QueryParams = Record<
  string,
  string | number | boolean | null | undefined | readonly (string | number)[]
>;

/** `path` under the API base with `params` as the query string. */
export function buildUrl(path: string, params?: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (Array.isArray(value)) {
      for (const v of value) search.append(key, String(v));
    } else if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const qs = search.toString();
  return `${config.apiBase}${path}${qs ? `?${qs}` : ''}`;
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

interface RequestOptions {
  params?: QueryParams | undefined;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Non-2xx statuses whose JSON body is still the answer (health is 503 with a Health body). */
  acceptStatus?: readonly number[] | undefined;
}

function headersFor(method: Method, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (hasBody) headers['content-type'] = 'application/json';
  if (config.publishableKey) headers.apikey = config.publishableKey;
  // Reads need only the publishable key; the write credential travels only where it is needed.
  const bearer = method === 'GET' ? null : bearerSource();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  return headers;
}

async function request<T>(method: Method, path: string, init: RequestOptions): Promise<T> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, init.params), {
      method,
      headers: headersFor(method, init.body !== undefined),
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiRequestError(
      `control-api unreachable: ${err instanceof Error ? err.message : String(err)}`,
      0,
    );
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok && !(init.acceptStatus?.includes(res.status) && body !== undefined && !isApiError(body))) {
    const error = isApiError(body)
      ? new ApiRequestError(body.error, res.status, body.details)
      : new ApiRequestError(`HTTP ${res.status} ${res.statusText}`.trim(), res.status);
    if (error.denied && method !== 'GET') for (const listener of deniedListeners) listener(error);
    throw error;
  }
  if (body === undefined) throw new ApiRequestError(`expected JSON from ${method} ${path}`, res.status);
  return body as T;
}

/** GET a JSON resource. */
export function apiGet<T>(
  path: string,
  params?: QueryParams,
  opts: { signal?: AbortSignal; acceptStatus?: readonly number[] } = {},
): Promise<T> {
  return request<T>('GET', path, { params, ...opts });
}

/** POST a JSON body (a write unless the route says otherwise, e.g. /templates/validate). */
export function apiPost<T>(
  path: string,
  body: unknown,
  opts: { signal?: AbortSignal | undefined } = {},
): Promise<T> {
  return request<T>('POST', path, { body, ...opts });
}

/** PUT a JSON body. */
export function apiPut<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PUT', path, { body });
}

/** PATCH a JSON body. */
export function apiPatch<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PATCH', path, { body });
}

/** A readable message for anything a query or mutation may throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError) return err.status ? `${err.message} (HTTP ${err.status})` : err.message;
  return err instanceof Error ? err.message : String(err);
}
