import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, DEFAULT_API_BASE, loadConfig, parseConfig } from '../../dashboard/src/config.ts';
import { startServer } from './http-server.ts';

const ENV = {
  VITE_STRATOS_API_BASE: 'https://api.example.com/functions/v1/control-api/',
  VITE_SUPABASE_URL: 'https://abc.supabase.co',
  VITE_SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_build',
};
const fromBuild = {
  apiBase: 'https://api.example.com/functions/v1/control-api',
  publishableKey: 'sb_publishable_build',
  supabaseUrl: 'https://abc.supabase.co',
};

let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/ok/dashboard-config.json':
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            apiBase: '/functions/v1/control-api',
            publishableKey: 'sb_publishable_local',
            supabaseUrl: null,
          }),
        );
        return;
      case '/spa/dashboard-config.json':
        // A static host's SPA fallback: index.html with 200 for any path.
        res.setHeader('content-type', 'text/html');
        res.end('<!doctype html><html><body><div id="root"></div></body></html>');
        return;
      case '/wrong/dashboard-config.json':
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ apiBase: 42 }));
        return;
      case '/slow/dashboard-config.json':
        setTimeout(() => res.end('{}'), 2000);
        return;
      default:
        res.statusCode = 404;
        res.end('not found');
    }
  });
});
afterAll(() => server.close());

describe('runtime config loading', () => {
  it('uses dashboard-config.json when the server has it', async () => {
    const loaded = await loadConfig(ENV, { url: `${server.url}/ok/dashboard-config.json` });
    expect(loaded).toEqual({
      source: 'file',
      config: {
        apiBase: '/functions/v1/control-api',
        publishableKey: 'sb_publishable_local',
        supabaseUrl: null,
      },
    });
  });

  it('falls back to the build-time variables when the file is missing', async () => {
    expect(await loadConfig(ENV, { url: `${server.url}/missing/dashboard-config.json` })).toEqual({
      source: 'build',
      config: fromBuild,
    });
  });

  it('falls back when a static host answers with its index.html', async () => {
    expect((await loadConfig(ENV, { url: `${server.url}/spa/dashboard-config.json` })).source).toBe('build');
  });

  it('falls back when the file is JSON of the wrong shape', async () => {
    expect((await loadConfig(ENV, { url: `${server.url}/wrong/dashboard-config.json` })).source).toBe(
      'build',
    );
  });

  it('falls back when the file does not come in time', async () => {
    const t0 = Date.now();
    const loaded = await loadConfig(ENV, { url: `${server.url}/slow/dashboard-config.json`, timeoutMs: 200 });
    expect(loaded.source).toBe('build');
    expect(Date.now() - t0).toBeLessThan(1900);
  });

  it('falls back when nothing listens', async () => {
    expect((await loadConfig({}, { url: 'http://127.0.0.1:1/dashboard-config.json' })).config.apiBase).toBe(
      DEFAULT_API_BASE,
    );
  });
});

describe('build-time config', () => {
  it('defaults to the same-origin control-api path without a key', () => {
    expect(configFromEnv({})).toEqual({ apiBase: DEFAULT_API_BASE, publishableKey: '', supabaseUrl: null });
  });

  it("uses the Supabase project's functions when only its URL is given", () => {
    expect(configFromEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co/' }).apiBase).toBe(
      'https://abc.supabase.co/functions/v1/control-api',
    );
  });

  it('treats blank variables as unset', () => {
    expect(configFromEnv({ VITE_STRATOS_API_BASE: '  ', VITE_SUPABASE_URL: '' })).toEqual(configFromEnv({}));
  });

  it('accepts a missing supabaseUrl in the file and rejects a missing key', () => {
    expect(parseConfig({ apiBase: '/x/', publishableKey: 'k' })).toEqual({
      apiBase: '/x',
      publishableKey: 'k',
      supabaseUrl: null,
    });
    expect(parseConfig({ apiBase: '/x' })).toBeNull();
    expect(parseConfig([])).toBeNull();
  });
});
