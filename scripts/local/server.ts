import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { Hono } from 'hono';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp as aiReview } from '../../supabase/functions/ai-review/app.ts';
import { createApp as calcFeatures } from '../../supabase/functions/calc-features/app.ts';
import { createApp as controlApi } from '../../supabase/functions/control-api/app.ts';
import { createApp as evaluateSignals } from '../../supabase/functions/evaluate-signals/app.ts';
import { createApp as ingestOhlcv } from '../../supabase/functions/ingest-ohlcv/app.ts';

/** Every Edge Function, by the name it is deployed under. */
export const FUNCTIONS = {
  'ingest-ohlcv': ingestOhlcv,
  'calc-features': calcFeatures,
  'evaluate-signals': evaluateSignals,
  'ai-review': aiReview,
  'control-api': controlApi,
} as const;

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
  const apps = Object.fromEntries(
    Object.entries(FUNCTIONS).map(([name, create]) => [name, create(ctx, { cpuClock })]),
  );
  const gateway = new Hono();
  gateway.all('/functions/v1/:name/*', (c) => {
    const name = c.req.param('name');
    const app = apps[name];
    if (!app) return c.json({ error: `no function "${name}"` }, 404);
    const url = new URL(c.req.url);
    url.pathname = url.pathname.replace(/^\/functions\/v1/, '');
    return app.fetch(new Request(url, c.req.raw));
  });
  gateway.all('/functions/v1/:name', (c) => {
    const app = apps[c.req.param('name')];
    if (!app) return c.json({ error: `no function "${c.req.param('name')}"` }, 404);
    const url = new URL(c.req.url);
    url.pathname = `/${c.req.param('name')}`;
    return app.fetch(new Request(url, c.req.raw));
  });
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
