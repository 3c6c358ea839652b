import { AS } from './auth.ts';

/** What the control-api answered: the status and the parsed JSON body. */
export interface ApiAnswer {
  status: number;
  json: Record<string, unknown> & { error?: string; code?: string; details?: unknown };
}

/**
 * A caller of a control-api app in-process: `call(method, path, body?, headers?)` with admin credentials
 * unless told otherwise; a string body is sent as it is (for malformed JSON), anything else as JSON.
 */
export function apiCaller(app: {
  request: (url: string, init: RequestInit) => Response | Promise<Response>;
}) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = AS.admin,
  ): Promise<ApiAnswer> => {
    const res = await app.request(`/control-api${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as ApiAnswer['json'] };
  };
}
