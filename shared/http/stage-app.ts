import { Hono } from 'hono';
import { type Stage, StageRequest } from '../api/schemas.ts';
import { triggerRun } from '../api/service.ts';
import { drain } from '../pipeline/queue.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { requireRole } from './auth.ts';
import { errorResponse, jsonBody, parseInput } from './errors.ts';

/**
 * Wall-clock budget for draining inside one invocation. Supabase allows about 2 s of CPU per request
 * (wall clock is far more generous), and a job's CPU never exceeds its wall time, so 1.5 s of wall
 * keeps the CPU inside the limit with room for the request itself; no new job starts after it.
 * Leftover jobs wait for the next drain (pg_cron every minute, or the local scheduler).
 */
export const DRAIN_BUDGET_MS = 1_500;

/**
 * The HTTP app of one stage function: `POST /<name>` starts the stage for `{date, asset_type |
 * universe}` and drains queued jobs within the budget; `POST /<name>/drain` only drains.
 */
export function createStageApp(
  name: string,
  stage: Stage,
  ctx: PipelineContext,
  opts: { drainBudgetMs?: number } = {},
) {
  const budgetMs = opts.drainBudgetMs ?? DRAIN_BUDGET_MS;
  const workerId = () => `${name}-${crypto.randomUUID().slice(0, 8)}`;
  const app = new Hono().basePath(`/${name}`);
  app.onError((err, c) => errorResponse(err, c, ctx.log));
  // Stages write everything and spend provider and LLM quota: only the secret key may call them.
  app.use('*', requireRole(ctx.auth, 'service'));
  app.post('/', async (c) => {
    const body = parseInput(StageRequest, await jsonBody(c), 'request body');
    const runs = await triggerRun(ctx, { ...body, stage });
    const drained = budgetMs > 0 ? await drain(ctx, { workerId: workerId(), budgetMs }) : null;
    return c.json({ runs, drained }, 202);
  });
  app.post('/drain', async (c) => c.json(await drain(ctx, { workerId: workerId(), budgetMs })));
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  return app;
}
