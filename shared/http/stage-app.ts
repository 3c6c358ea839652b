import { Hono } from 'hono';
import { StageRequest } from '../api/contracts/stages.ts';
import { triggerRun } from '../api/service.ts';
import type { Stage } from '../domain/stages.ts';
import { errorMessage } from '../errors/index.ts';
import { type DrainClock, type DrainResult, drain, WALL_CLOCK } from '../pipeline/queue.ts';
import type { DrainBudget, PipelineContext } from '../pipeline/types.ts';
import { requireRole } from './auth.ts';
import { errorBody, errorResponse, jsonBody, parseInput } from './errors.ts';

/** Request header counting the continuations that led to a drain request, so a chain cannot run away. */
export const DRAIN_HOP_HEADER = 'x-stratos-drain-hop';
/** Continuations in a row before a chain stops and leaves the rest to the scheduled drain. */
export const MAX_DRAIN_HOPS = 50;

/** How an invocation that returns with work left starts the next one (Supabase: a POST to itself). */
export interface SelfInvoke {
  /** The function's public URL, e.g. `https://<ref>.supabase.co/functions/v1/ingest-ohlcv`. */
  url: string;
  /** Keeps a task running after the response is sent (`EdgeRuntime.waitUntil` on Supabase). */
  waitUntil: (task: Promise<unknown>) => void;
  fetch?: typeof fetch;
}

/** What the runtime adapter (the Deno entry, the local gateway, a test) provides. */
export interface StageAppOptions {
  /** CPU ms this process has used (Node: process.cpuUsage). Without it, wall time bounds CPU time. */
  cpuClock?: () => number;
  /** Continue draining in a new invocation when one returns with work left; off without it. */
  selfInvoke?: SelfInvoke;
  /** Overrides `ctx.drainBudget`. */
  budget?: DrainBudget;
}

/** A drain's result as a stage function answers it: with its budget and whether it continued. */
export interface DrainReport extends DrainResult {
  budget: DrainBudget;
  /** Whether a continuation request was started because work was left. */
  continued: boolean;
}

type Since = { wall: number; cpu?: number };

/**
 * The HTTP app of one stage function: `POST /<name>` starts the stage for `{date, asset_type |
 * universe}` and drains queued jobs; `POST /<name>/drain` only drains. Either takes jobs while the
 * invocation's CPU and wall budgets allow (counted from the request's arrival, so the trigger's own
 * cost counts), then answers with what it used and how many jobs are left. With `selfInvoke`, an
 * invocation that made progress and left work starts one continuation; otherwise the next scheduled
 * drain (pg_cron every minute) picks the rest up.
 */
export function createStageApp(name: string, stage: Stage, ctx: PipelineContext, opts: StageAppOptions = {}) {
  return createDrainApp(name, ctx, opts, async (raw) => {
    const body = parseInput(StageRequest, raw, 'request body');
    return { runs: await triggerRun(ctx, { ...body, stage }) };
  });
}

/**
 * The app of a function that drains the queue: `POST /<name>` calls `start` with the JSON body (it
 * validates it and queues work) and answers what it returned with the drain's report, `POST
 * /<name>/drain` only drains; budgets and continuations as createStageApp describes.
 */
export function createDrainApp(
  name: string,
  ctx: PipelineContext,
  opts: StageAppOptions,
  start: (body: unknown) => Promise<Record<string, unknown>>,
) {
  const budget = opts.budget ?? ctx.drainBudget;
  const clock: DrainClock = opts.cpuClock ? { wall: WALL_CLOCK.wall, cpu: opts.cpuClock } : WALL_CLOCK;
  const workerId = () => `${name}-${crypto.randomUUID().slice(0, 8)}`;
  const app = new Hono<{ Variables: { since: Since } }>().basePath(`/${name}`);
  app.onError((err, c) => errorResponse(err, c, ctx.log));
  app.use('*', async (c, next) => {
    c.set('since', { wall: clock.wall(), ...(clock.cpu ? { cpu: clock.cpu() } : {}) });
    await next();
  });
  // Stages write everything and spend provider and LLM quota: only the secret key may call them.
  app.use('*', requireRole(ctx.auth, 'service'));

  const drainFor = async (since: Since, hopHeader: string | undefined): Promise<DrainReport> => {
    const result = await drain(ctx, {
      workerId: workerId(),
      budgetMs: budget.wallMs,
      cpuBudgetMs: budget.cpuMs,
      clock,
      since,
    });
    const hop = Math.max(0, Number.parseInt(hopHeader ?? '0', 10) || 0);
    const continued =
      result.processed > 0 && result.left > 0 && hop < MAX_DRAIN_HOPS && continueDrain(hop + 1);
    return { ...result, budget, continued };
  };

  // Fire-and-forget from the caller's point of view: the runtime keeps the task alive, the response
  // is already on its way. Only the status is looked at; the continuation's body is discarded.
  function continueDrain(hop: number): boolean {
    const self = opts.selfInvoke;
    const key = ctx.auth.secretKeys[0];
    if (!self || !key) return false;
    const send = self.fetch ?? fetch;
    const task = send(`${self.url.replace(/\/+$/, '')}/drain`, {
      method: 'POST',
      headers: { apikey: key, [DRAIN_HOP_HEADER]: String(hop) },
    })
      .then(async (res) => {
        await res.body?.cancel();
        if (!res.ok) ctx.log(`${name}: continuation drain answered ${res.status}`);
      })
      .catch((err) => ctx.log(`${name}: continuation drain failed: ${errorMessage(err)}`));
    self.waitUntil(task);
    return true;
  }

  app.post('/', async (c) => {
    const started = await start(await jsonBody(c));
    const drained = await drainFor(c.get('since'), c.req.header(DRAIN_HOP_HEADER));
    return c.json({ ...started, drained }, 202);
  });
  app.post('/drain', async (c) => c.json(await drainFor(c.get('since'), c.req.header(DRAIN_HOP_HEADER))));
  app.notFound((c) => c.json(errorBody('not_found', `no route ${c.req.method} ${c.req.path}`), 404));
  return app;
}
