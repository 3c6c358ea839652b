import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireDueSchedules } from '../../scripts/local/scheduler.ts';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { LifecycleBoard, LifecycleDetail } from '../../shared/api/contracts/lifecycle.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp as controlApi } from '../../supabase/functions/control-api/app.ts';
import { createApp as lifecycleFunction } from '../../supabase/functions/lifecycle/app.ts';
import { apiCaller } from '../support/api.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { ingestUniverse } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

// The lifecycle's surfaces over a real database and queue: the lifecycle Edge Function (as pg_cron
// calls it), the local scheduler's hourly row, and control-api's /lifecycle routes with their access
// rules and JSON errors.

describe('lifecycle function, schedule and control-api routes', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let api: ReturnType<typeof controlApi>;

  const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(api)(...args);

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await ingestUniverse(ctx, 'equity_all', TEST_DATE, TEST_HISTORY_FROM);
    api = controlApi(ctx);
  }, 240_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('serves an empty board with the default configuration and the hourly schedule', async () => {
    const res = await call('GET', '/lifecycle/board', undefined, AS.reader);
    expect(res.status).toBe(200);
    const board = LifecycleBoard.parse(res.json);
    expect(board.columns).toEqual({ backtest: [], paper: [], live: [] });
    expect(board.header).toMatchObject({
      tested_today: 0,
      success_rate: null,
      graduation_rate: null,
      live_pnl: 0,
    });
    expect(board.config).toMatchObject({ discovery_enabled: true, proposals_per_hour: 3 });
    expect(board.config.gates).toMatchObject({ min_dsr: 0.95, paper_min_days: 7, paper_stop: -0.05 });
    expect(board.schedule).toEqual({ enabled: true, cron: '7 * * * *', last_run_at: null });
  });

  it('refuses writes without an admin and bad input with the JSON error shape', async () => {
    expect((await call('PATCH', '/lifecycle/config', { proposals_per_hour: 1 }, AS.reader)).status).toBe(403);
    expect((await call('PATCH', '/lifecycle/config', { proposals_per_hour: 1 }, {})).status).toBe(401);
    const bad = await call('PATCH', '/lifecycle/config', { proposals_per_hour: 500, gates: { min_dsr: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'invalid_input' });
    expect(JSON.stringify(bad.json.details)).toMatch(/proposals_per_hour/);
    expect((await call('PATCH', '/lifecycle/config', { gates: { nope: 1 } })).status).toBe(400);
    expect((await call('PATCH', '/lifecycle/config', { universe: 'no_such' })).json).toMatchObject({
      code: 'invalid_input',
    });
    expect((await call('PATCH', '/lifecycle/config', '{"proposals_per_hour":')).status).toBe(400);
    expect((await call('POST', '/lifecycle/strategies/sma_cross/actions', { action: 'pause' })).status).toBe(
      400,
    );
    expect(
      (await call('POST', '/lifecycle/strategies/sma_cross/actions', { action: 'explode', reason: 'x' }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', '/lifecycle/strategies/sma_cross/actions', { action: 'pause', reason: ' ' }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', '/lifecycle/strategies/Bad-Id/actions', { action: 'pause', reason: 'x' })).status,
    ).toBe(400);
    expect(
      (await call('POST', '/lifecycle/strategies/no_such/actions', { action: 'pause', reason: 'x' })).json,
    ).toMatchObject({ code: 'not_found' });
    expect((await call('GET', '/lifecycle/transitions?limit=0', undefined, AS.reader)).status).toBe(400);
    expect((await call('POST', '/lifecycle/cycles', { date: '2026-02-30' })).status).toBe(400);
  });

  it('changes the rate and the gates (merged over the stored ones) and stops and starts discovery', async () => {
    const set = await call('PATCH', '/lifecycle/config', { proposals_per_hour: 2, gates: { min_trades: 5 } });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ proposals_per_hour: 2, updated_by: 'admin' });
    expect((set.json.gates as Record<string, number>).min_trades).toBe(5);
    const again = await call('PATCH', '/lifecycle/config', { gates: { min_sharpe: 0.5 } });
    expect(again.json.gates).toMatchObject({ min_trades: 5, min_sharpe: 0.5, min_dsr: 0.95 });
    expect((await call('PATCH', '/lifecycle/config', { discovery_enabled: false })).json).toMatchObject({
      discovery_enabled: false,
    });
    expect((await call('PATCH', '/lifecycle/config', { discovery_enabled: true })).json).toMatchObject({
      discovery_enabled: true,
    });
  });

  it('runs a cycle from the lifecycle function (service key only) and shows it on the board', async () => {
    const fn = lifecycleFunction(ctx, { budget: { cpuMs: 60_000, wallMs: 120_000 } });
    const denied = await fn.request('/lifecycle', { method: 'POST', headers: AS.admin, body: '{}' });
    expect(denied.status).toBe(403);
    const badDate = await fn.request('/lifecycle', {
      method: 'POST',
      headers: AS.service,
      body: '{"date":"someday"}',
    });
    expect(badDate.status).toBe(400);
    const res = await fn.request('/lifecycle', {
      method: 'POST',
      headers: { ...AS.service, 'content-type': 'application/json' },
      body: JSON.stringify({ date: TEST_DATE }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as {
      cycle: { run_id: number; date: string };
      drained: { processed: number };
    };
    expect(body.cycle.date).toBe(TEST_DATE);
    await drainUntilIdle(ctx, 'lifecycle-api-test');
    const [run] =
      await ctx.sql`select stage, status, summary from pipeline_runs where id = ${body.cycle.run_id}`;
    expect(run).toMatchObject({ stage: 'lifecycle', status: 'succeeded' });
    expect(run!.summary).toMatchObject({
      proposed: 2,
      evaluated: 2,
    });
    const board = LifecycleBoard.parse((await call('GET', '/lifecycle/board', undefined, AS.reader)).json);
    expect(board.header.tested_today).toBe(2);
    const onBoard = board.columns.backtest.length + board.columns.paper.length + board.columns.live.length;
    expect(onBoard + board.header.counts.rejected).toBe(2);
    expect(board.header.success_rate).toBe(board.columns.paper.length / 2);
    const [tr] = (await call('GET', '/lifecycle/transitions?limit=1', undefined, AS.reader)).json.items as {
      reason: string;
      metrics: Record<string, unknown>;
    }[];
    expect(tr!.reason).toMatch(/^backtest .*(passed|failed)/);
    expect(tr!.metrics).toHaveProperty('dsr');
  }, 240_000);

  it('fires the hourly schedule row like pg_cron does', async () => {
    const fired = await fireDueSchedules(ctx, new Date('2026-11-23T15:07:00Z'));
    expect(fired).toContain('lifecycle');
    const [run] = await ctx.sql`
      select params, run_date::text from pipeline_runs where stage = 'lifecycle' order by id desc limit 1`;
    expect(run).toMatchObject({ params: { hour: '2026-11-23T15:00:00.000Z' }, run_date: TEST_DATE });
    expect(await fireDueSchedules(ctx, new Date('2026-11-23T15:08:00Z'))).not.toContain('lifecycle');
  });

  it('enrols a strategy and applies admin actions with reasons, 409 when the phase forbids', async () => {
    const enrolled = await call('POST', '/lifecycle/strategies', {
      strategy: 'sma_cross',
      reason: 'by hand',
    });
    expect(enrolled.status).toBe(201);
    expect(enrolled.json).toMatchObject({ strategy_id: 'sma_cross', phase: 'backtest', origin: 'admin' });
    expect(
      (await call('POST', '/lifecycle/strategies', { strategy: 'sma_cross', reason: 'again' })).status,
    ).toBe(409);
    expect((await call('POST', '/lifecycle/strategies', { strategy: 'no_such', reason: 'x' })).status).toBe(
      404,
    );
    const paused = await call('POST', '/lifecycle/strategies/sma_cross/actions', {
      action: 'pause',
      reason: 'look',
    });
    expect(paused).toMatchObject({ status: 200, json: { paused: true, last_reason: 'admin: look' } });
    const twice = await call('POST', '/lifecycle/strategies/sma_cross/actions', {
      action: 'pause',
      reason: 'look',
    });
    expect(twice).toMatchObject({ status: 409, json: { code: 'conflict' } });
    const promote = await call('POST', '/lifecycle/strategies/sma_cross/actions', {
      action: 'promote',
      reason: 'go',
    });
    expect(promote.status).toBe(409);
    const detail = LifecycleDetail.parse(
      (await call('GET', '/lifecycle/strategies/sma_cross', undefined, AS.reader)).json,
    );
    expect(detail.transitions.map((t) => [t.action, t.actor, t.reason])).toEqual([
      ['enrol', 'admin', 'admin: by hand'],
      ['pause', 'admin', 'admin: look'],
    ]);
    expect((await call('GET', '/lifecycle/strategies/no_such', undefined, AS.reader)).status).toBe(404);
  });
});
