import type { ApiError } from '../../../shared/api/schemas.ts';

/** Base of the control-api; same origin in production, proxied by the dev server. */
export const API_BASE: string = (import.meta.env.VITE_API_BASE ?? '/functions/v1/control-api').replace(
  /\/+$/,
  '',
);

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
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

function buildUrl(path: string, params?: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

interface RequestOptions {
  params?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  /** Non-2xx statuses whose JSON body is still the answer (health is 503 with a Health body). */
  acceptStatus?: readonly number[];
}

async function request<T>(method: 'GET' | 'POST', path: string, init: RequestOptions): Promise<T> {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, init.params), {
      method,
      headers:
        init.body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
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
    if (isApiError(body)) throw new ApiRequestError(body.error, res.status, body.details);
    throw new ApiRequestError(`HTTP ${res.status} ${res.statusText}`.trim(), res.status);
  }
  if (body === undefined) throw new ApiRequestError(`expected JSON from ${method} ${path}`, res.status);
  return body as T;
}

export function apiGet<T>(
  path: string,
  params?: QueryParams,
  opts: { signal?: AbortSignal; acceptStatus?: readonly number[] } = {},
): Promise<T> {
  return request<T>('GET', path, { params, ...opts });
}

export function apiPost<T>(path: string, body: unknown): Promise<T> {
  return request<T>('POST', path, { body });
}

/** A readable message for anything a query or mutation may throw. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError) return err.status ? `${err.message} (HTTP ${err.status})` : err.message;
  return err instanceof Error ? err.message : String(err);
}
