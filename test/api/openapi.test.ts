import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { openApiPath } from '../../shared/api/openapi.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';
import { everyEquity, rsiStrategy } from '../support/templates.ts';

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
};

const SMA_BACKTEST = { strategy: 'sma_cross', universe: 'equity_all', from: '2026-03-02' };

describe('GET /openapi.json', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;
  let doc: Doc;
  let runId: number;
  let backtestId: number;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    app = createApp(ctx);
    doc = (await (await app.request('/control-api/openapi.json')).json()) as Doc;
    const [first] = await ctx.sql<{ id: number }[]>`select min(id)::int as id from pipeline_runs`;
    runId = first!.id;
    const started = await app.request('/control-api/backtests', {
      method: 'POST',
      headers: { ...AS.admin, 'content-type': 'application/json' },
      body: JSON.stringify(SMA_BACKTEST),
    });
    backtestId = ((await started.json()) as { id: number }).id;
    await drainUntilIdle(ctx, 'openapi-test');
  });
  afterAll(() => db.drop());

  /** `METHOD /path` of every route the app registered (middleware excluded). */
  const registered = () =>
    new Set(
      app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${openApiPath(r.path.replace(/^\/control-api/, ''))}`),
    );
  const documented = () =>
    new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );

  it('documents exactly the routes the app serves', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect([...documented()].sort()).toEqual([...registered()].sort());
    expect(registered().size).toBeGreaterThanOrEqual(24);
  });

  /** The documented schema of a response, as a zod schema (refs resolved against the components). */
  function documentedSchema(path: string, method: string, status: number) {
    const response = doc.paths[path]?.[method]?.responses[String(status)];
    expect(response, `${method.toUpperCase()} ${path} documents ${status}`).toBeDefined();
    const schema = response!.content!['application/json']!.schema;
    const rewrite = (v: unknown) =>
      JSON.parse(JSON.stringify(v).replaceAll('#/components/schemas/', '#/$defs/')) as Record<
        string,
        unknown
      >;
    return z.fromJSONSchema({ ...rewrite(schema), $defs: rewrite(doc.components.schemas) } as never);
  }

  /** A request for every documented route, answering its documented success status. */
  const samples = (): Record<string, { url: string; body?: unknown; status: number }> => ({
    'GET /health': { url: '/health', status: 200 },
    'GET /openapi.json': { url: '/openapi.json', status: 200 },
    'GET /assets': {
      url: '/assets?sort=rsi_14&order=desc&range=rsi_14:10:&columns=rsi_14,ret_1',
      status: 200,
    },
    'GET /assets/{asset_type}/{symbol}': { url: '/assets/crypto/BTC?from=2026-11-01', status: 200 },
    'GET /runs': { url: `/runs?date=${TEST_DATE}`, status: 200 },
    'POST /runs': {
      url: '/runs',
      body: { stage: 'signals', date: TEST_DATE, universe: 'crypto_all' },
      status: 202,
    },
    'GET /runs/{id}': { url: `/runs/${runId}`, status: 200 },
    'POST /runs/{id}/retry': { url: `/runs/${runId}/retry`, status: 409 },
    'GET /schedules': { url: '/schedules', status: 200 },
    'PATCH /schedules/{id}': { url: '/schedules/queue_drain', body: { cron: '*/2 * * * *' }, status: 200 },
    'GET /signals': { url: '/signals', status: 200 },
    'GET /signals/feed': { url: `/signals/feed?date=${TEST_DATE}`, status: 200 },
    'GET /reviews': { url: '/reviews?sort=confidence', status: 200 },
    'GET /reviews/costs': { url: `/reviews/costs?from=${TEST_DATE}`, status: 200 },
    'GET /quality': { url: '/quality', status: 200 },
    'GET /news': { url: '/news?asset=AAPL&limit=5', status: 200 },
    'GET /assets/{asset_type}/{symbol}/news': { url: '/assets/equity/AAPL/news?limit=3', status: 200 },
    'GET /sentiment/{asset_type}/{symbol}': { url: '/sentiment/equity/AAPL?from=2026-11-01', status: 200 },
    'GET /sentiment/shortlists': { url: '/sentiment/shortlists?list=reviews', status: 200 },
    'GET /templates': { url: '/templates', status: 200 },
    'POST /templates': { url: '/templates', body: everyEquity('sample_one'), status: 201 },
    'POST /templates/validate': { url: '/templates/validate', body: { id: 'x' }, status: 200 },
    'POST /templates/preview': {
      url: '/templates/preview',
      body: { template: everyEquity('p') },
      status: 200,
    },
    'GET /templates/{id}': { url: '/templates/rsi_oversold', status: 200 },
    'PUT /templates/{id}': { url: '/templates/sample_one', body: everyEquity('sample_one'), status: 200 },
    'PATCH /templates/{id}': { url: '/templates/sample_one', body: { enabled: false }, status: 200 },
    'GET /scorecards/templates': { url: '/scorecards/templates?asset_type=equity', status: 200 },
    'GET /scorecards/reviews': { url: '/scorecards/reviews', status: 200 },
    'GET /features': { url: '/features', status: 200 },
    'GET /strategies': { url: '/strategies', status: 200 },
    'POST /strategies': { url: '/strategies', body: rsiStrategy('sample_rsi'), status: 201 },
    'POST /strategies/validate': {
      url: '/strategies/validate',
      body: rsiStrategy('sample_rsi'),
      status: 200,
    },
    'GET /strategies/{id}': { url: '/strategies/sma_cross', status: 200 },
    'POST /backtests': {
      url: '/backtests',
      body: { ...SMA_BACKTEST, set: { fast: 5, slow: 20 } },
      status: 202,
    },
    'GET /backtests': { url: '/backtests?strategy=sma_cross', status: 200 },
    'GET /backtests/compare': { url: `/backtests/compare?a=${backtestId}&b=${backtestId}`, status: 200 },
    'GET /backtests/{id}': { url: `/backtests/${backtestId}`, status: 200 },
    'POST /portfolios': {
      url: '/portfolios',
      body: {
        id: 'sample_pf',
        name: 'Sample',
        strategy: 'sma_cross',
        universe: 'equity_all',
        starting_cash: 1e4,
        start_date: TEST_DATE,
      },
      status: 201,
    },
    'GET /portfolios': { url: '/portfolios', status: 200 },
    'GET /portfolios/{id}': { url: '/portfolios/sample_pf', status: 200 },
    'PATCH /portfolios/{id}': { url: '/portfolios/sample_pf', body: { trading_enabled: true }, status: 200 },
    'GET /portfolios/{id}/orders': { url: '/portfolios/sample_pf/orders', status: 200 },
    'GET /portfolios/{id}/fills': { url: '/portfolios/sample_pf/fills', status: 200 },
    'GET /portfolios/{id}/decisions': { url: '/portfolios/sample_pf/decisions', status: 200 },
    'GET /portfolios/{id}/equity': { url: '/portfolios/sample_pf/equity', status: 200 },
    'GET /portfolios/{id}/locks': { url: '/portfolios/sample_pf/locks', status: 200 },
    'GET /portfolios/{id}/reconcile': { url: '/portfolios/sample_pf/reconcile', status: 200 },
    'GET /kill-switch': { url: '/kill-switch', status: 200 },
    'POST /kill-switch': { url: '/kill-switch', body: { killed: false }, status: 200 },
    // No search has run here: the run routes answer 404 (test/api/search-routes.test.ts serves them).
    'GET /search/runs': { url: '/search/runs?limit=5', status: 200 },
    'GET /search/runs/{id}': { url: '/search/runs/1', status: 404 },
    'GET /search/runs/{id}/trials': { url: '/search/runs/1/trials?sort=seq', status: 404 },
    'GET /search/runs/{id}/pruned': { url: '/search/runs/1/pruned', status: 404 },
    'GET /search/runs/{id}/groups': { url: '/search/runs/1/groups', status: 404 },
    'GET /search/selection': { url: '/search/selection', status: 200 },
    'GET /search/weekday': { url: `/search/weekday?date=${TEST_DATE}`, status: 200 },
    'GET /lifecycle/board': { url: '/lifecycle/board', status: 200 },
    'GET /lifecycle/transitions': { url: '/lifecycle/transitions?limit=5', status: 200 },
    'GET /lifecycle/config': { url: '/lifecycle/config', status: 200 },
    'PATCH /lifecycle/config': { url: '/lifecycle/config', body: { proposals_per_hour: 2 }, status: 200 },
    'POST /lifecycle/strategies': {
      url: '/lifecycle/strategies',
      body: { strategy: 'sma_cross', reason: 'sample' },
      status: 201,
    },
    'GET /lifecycle/strategies/{id}': { url: '/lifecycle/strategies/sma_cross', status: 200 },
    'POST /lifecycle/strategies/{id}/actions': {
      url: '/lifecycle/strategies/sma_cross/actions',
      body: { action: 'pause', reason: 'sample' },
      status: 200,
    },
    'POST /lifecycle/cycles': { url: '/lifecycle/cycles', body: { date: TEST_DATE }, status: 202 },
    'GET /learning': { url: '/learning', status: 200 },
    'POST /learning/rules/{id}': {
      url: '/learning/rules/1',
      body: { status: 'active', reason: 'sample' },
      status: 404,
    },
  });

  it('has a sample for every documented route', () => {
    expect(Object.keys(samples()).sort()).toEqual([...documented()].sort());
  });

  it('answers every route with a body that validates against its documented schema', async () => {
    for (const [route, sample] of Object.entries(samples())) {
      const [method, path] = route.split(' ') as [string, string];
      const res = await app.request(`/control-api${sample.url}`, {
        method,
        headers: {
          ...AS.admin,
          ...(sample.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(sample.body === undefined ? {} : { body: JSON.stringify(sample.body) }),
      });
      const body = await res.json();
      expect(res.status, `${route}: ${JSON.stringify(body).slice(0, 300)}`).toBe(sample.status);
      const checked = documentedSchema(path, method.toLowerCase(), sample.status).safeParse(body);
      expect(checked.success, `${route}: ${checked.error?.message.slice(0, 500)}`).toBe(true);
    }
  });

  it('documents the error shape and refuses access as documented', async () => {
    const unauthorized = await app.request('/control-api/assets');
    expect(unauthorized.status).toBe(401);
    expect(documentedSchema('/assets', 'get', 401).safeParse(await unauthorized.json()).success).toBe(true);
    const bad = await app.request('/control-api/assets?limit=0', { headers: AS.reader });
    const err = await bad.json();
    expect(documentedSchema('/assets', 'get', 400).safeParse(err).success).toBe(true);
    expect(err).toMatchObject({ details: [{ path: 'limit' }] });
    // A response with a field the schema does not list fails: the documented shapes are exact.
    const assets = await (await app.request('/control-api/assets?limit=1', { headers: AS.reader })).json();
    expect(documentedSchema('/assets', 'get', 200).safeParse({ ...assets, extra: 1 }).success).toBe(false);
  });

  it('marks which routes need which credentials', () => {
    const security = (path: string, method: string) =>
      (doc.paths[path]![method] as unknown as { security: Record<string, string[]>[] }).security;
    expect(security('/health', 'get')).toEqual([]);
    expect(security('/assets', 'get')).toEqual([{ apikey: [] }, { bearer: [] }]);
    expect(security('/runs', 'post')).toEqual([{ bearer: [] }, { apikey: [] }]);
  });
});
