import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiRequestError,
  apiGet,
  apiPatch,
  apiPost,
  configureApi,
  onWriteDenied,
  setBearerSource,
} from '../../dashboard/src/api/client.ts';
import { startServer } from './http-server.ts';

let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  // Answers like control-api's auth: writes need `Bearer admin`, reads need the apikey.
  server = await startServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.headers.apikey !== 'pk') {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: 'missing or invalid credentials' }));
      return;
    }
    if (req.method !== 'GET' && req.headers.authorization !== 'Bearer admin') {
      res.statusCode = req.headers.authorization ? 403 : 401;
      res.end(
        JSON.stringify({
          error: req.headers.authorization ? 'admin role required' : 'missing or invalid credentials',
        }),
      );
      return;
    }
    res.end(JSON.stringify({ ok: true, method: req.method }));
  });
  configureApi({ apiBase: server.url, publishableKey: 'pk', supabaseUrl: null });
});
afterAll(() => server.close());
afterEach(() => setBearerSource(() => null));

describe('control-api client credentials', () => {
  it('sends the bearer on writes only, read at request time', async () => {
    let token: string | null = 'admin';
    setBearerSource(() => token);
    server.requests.length = 0;
    await apiGet('/x');
    await apiPatch('/schedules/daily', { enabled: false });
    token = null;
    await expect(apiPost('/runs', {})).rejects.toThrow(ApiRequestError);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      undefined,
      'Bearer admin',
      undefined,
    ]);
    expect(server.requests.every((r) => r.headers.apikey === 'pk')).toBe(true);
  });

  it('reports a refused write (401/403) to the denied listeners, never a refused read', async () => {
    const denied: number[] = [];
    const off = onWriteDenied((err) => denied.push(err.status));
    setBearerSource(() => 'reader-token');
    const err = await apiPost('/runs', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect((err as ApiRequestError).denied).toBe(true);
    expect((err as ApiRequestError).message).toBe('admin role required');
    configureApi({ apiBase: server.url, publishableKey: 'wrong', supabaseUrl: null });
    await expect(apiGet('/x')).rejects.toThrow('missing or invalid credentials');
    configureApi({ apiBase: server.url, publishableKey: 'pk', supabaseUrl: null });
    off();
    await apiPost('/runs', {}).catch(() => {});
    expect(denied).toEqual([403]);
  });
});
