import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import {
  AssetDetailQuery,
  AssetListQuery,
  ReviewScorecardQuery,
  RunTrigger,
  ScorecardQuery,
  SignalFeedQuery,
  TemplateEnabledBody,
  TemplatePath,
  TemplatePreviewRequest,
} from '../../../shared/api/schemas.ts';
import {
  assetDetail,
  featureDictionary,
  health,
  listAssets,
  listRuns,
  listTemplates,
  previewTemplate,
  reviewsByDate,
  signalsByDate,
  triggerRun,
} from '../../../shared/api/service.ts';
import { AssetType, IsoDate } from '../../../shared/domain/market.ts';
import { errorResponse, jsonBody, parseInput } from '../../../shared/http/errors.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';
import { reviewScorecard } from '../../../shared/review/scorecard.ts';
import { changeFeed } from '../../../shared/signals/feed.ts';
import { templateScorecards } from '../../../shared/signals/scorecard.ts';
import {
  createTemplate,
  getTemplate,
  setTemplateEnabled,
  updateTemplate,
  validateTemplate,
} from '../../../shared/signals/store.ts';

const DateQuery = z.object({ date: IsoDate.optional() }).strict();
const RunsQuery = z
  .object({
    date: IsoDate.optional(),
    /** `true`: only each universe's latest date (what the dashboard shows). */
    latest: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
const AssetPath = z.object({
  asset_type: AssetType,
  symbol: z.string().regex(/^[A-Za-z0-9.\-_]{1,20}$/, 'not a symbol'),
});

/** control-api: the dashboard's HTTP API over shared/api/service.ts. */
export function createApp(ctx: PipelineContext, opts: { corsOrigins?: string[] } = {}) {
  const app = new Hono().basePath('/control-api');
  app.onError((err, c) => errorResponse(err, c, ctx.log));
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  if (opts.corsOrigins?.length) app.use('*', cors({ origin: opts.corsOrigins }));

  app.get('/health', async (c) => {
    const h = await health(ctx);
    return c.json(h, h.database.ok ? 200 : 503);
  });
  app.get('/assets', async (c) =>
    c.json(await listAssets(ctx, parseInput(AssetListQuery, c.req.query(), 'query'))),
  );
  app.get('/assets/:asset_type/:symbol', async (c) => {
    const path = parseInput(AssetPath, c.req.param(), 'path');
    const range = parseInput(AssetDetailQuery, c.req.query(), 'query');
    return c.json(await assetDetail(ctx, path.asset_type, path.symbol, range));
  });
  app.get('/runs', async (c) => {
    const q = parseInput(RunsQuery, c.req.query(), 'query');
    return c.json({ items: await listRuns(ctx, { ...q, latest: q.latest === 'true' }) });
  });
  app.post('/runs', async (c) => {
    const trigger = parseInput(RunTrigger, await jsonBody(c), 'request body');
    return c.json({ runs: await triggerRun(ctx, trigger) }, 202);
  });
  app.get('/signals', async (c) =>
    c.json(await signalsByDate(ctx, parseInput(DateQuery, c.req.query(), 'query').date)),
  );
  app.get('/reviews', async (c) =>
    c.json(await reviewsByDate(ctx, parseInput(DateQuery, c.req.query(), 'query').date)),
  );
  app.get('/templates', async (c) => c.json({ items: await listTemplates(ctx) }));
  // Template writes are open for now: admin auth for them comes with a later issue.
  app.post('/templates', async (c) => c.json(await createTemplate(ctx.sql, await jsonBody(c)), 201));
  app.post('/templates/validate', async (c) => c.json(validateTemplate(await jsonBody(c))));
  app.post('/templates/preview', async (c) => {
    const body = parseInput(TemplatePreviewRequest, await jsonBody(c), 'request body');
    return c.json(await previewTemplate(ctx, body.template, body));
  });
  app.get('/templates/:id', async (c) =>
    c.json(await getTemplate(ctx.sql, parseInput(TemplatePath, c.req.param(), 'path').id)),
  );
  app.put('/templates/:id', async (c) => {
    const { id } = parseInput(TemplatePath, c.req.param(), 'path');
    return c.json(await updateTemplate(ctx.sql, id, await jsonBody(c)));
  });
  app.patch('/templates/:id', async (c) => {
    const { id } = parseInput(TemplatePath, c.req.param(), 'path');
    const { enabled } = parseInput(TemplateEnabledBody, await jsonBody(c), 'request body');
    return c.json(await setTemplateEnabled(ctx.sql, id, enabled));
  });
  app.get('/signals/feed', async (c) =>
    c.json(await changeFeed(ctx.sql, parseInput(SignalFeedQuery, c.req.query(), 'query'))),
  );
  app.get('/scorecards/templates', async (c) => {
    const q = parseInput(ScorecardQuery, c.req.query(), 'query');
    return c.json(await templateScorecards(ctx.sql, { assetType: q.asset_type, from: q.from, to: q.to }));
  });
  app.get('/scorecards/reviews', async (c) =>
    c.json(await reviewScorecard(ctx.sql, parseInput(ReviewScorecardQuery, c.req.query(), 'query'))),
  );
  app.get('/features', (c) => c.json({ items: featureDictionary() }));
  return app;
}
