import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DecisionList,
  EquityCurve,
  FillList,
  KillSwitchResult,
  OrderList,
  PortfolioDetail,
  PortfolioList,
  ReconciliationView,
} from '../../shared/api/contracts/portfolios.ts';
import { tradingDays } from '../../shared/calendar/index.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { tradePortfolio } from '../../shared/portfolio/run/index.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { apiCaller } from '../support/api.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { ingestUniverse } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

// control-api's portfolio routes in-process over a real database: admins create and steer, readers read
// the ledger, every answer valid against its documented schema, bad input a 4xx in the JSON error shape.

const START = '2026-10-01';

describe('control-api /portfolios and /kill-switch', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;
  const call = (...args: Parameters<ReturnType<typeof apiCaller>>) => apiCaller(app)(...args);

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await ingestUniverse(ctx, 'equity_all', TEST_DATE, TEST_HISTORY_FROM);
    app = createApp(ctx);
  });
  afterAll(() => db?.drop());

  it('creates portfolios as an admin only, refusing bad bodies with 400 and a taken id with 409', async () => {
    const body = {
      id: 'api_sma',
      name: 'SMA on paper',
      strategy: 'sma_cross',
      universe: 'equity_all',
      starting_cash: 100000,
      start_date: START,
    };
    expect((await call('POST', '/portfolios', body, AS.reader)).status).toBe(403);
    expect((await call('POST', '/portfolios', body, {})).status).toBe(401);
    const created = await call('POST', '/portfolios', body);
    expect(created.status).toBe(201);
    expect((await call('POST', '/portfolios', body)).status).toBe(409);
    const both = await call('POST', '/portfolios', { ...body, id: 'both', rule: { top_n: 3 } });
    expect(both.status).toBe(400);
    expect(both.json.code).toBe('invalid_input');
    expect((await call('POST', '/portfolios', { ...body, id: 'neg', starting_cash: -1 })).status).toBe(400);
    expect((await call('POST', '/portfolios', { ...body, id: 'nostrat', strategy: 'no_such' })).status).toBe(
      404,
    );
    const weekly = await call('POST', '/portfolios', {
      id: 'api_weekly',
      name: 'Weekly top 4',
      rule: { top_n: 4, every: 'weekly' },
      universe: 'equity_all',
      starting_cash: 50000,
      start_date: START,
    });
    expect(weekly.status).toBe(201);
    for (const date of tradingDays('equity', START, TEST_DATE)) {
      await tradePortfolio(ctx, 'api_sma', date);
      await tradePortfolio(ctx, 'api_weekly', date);
    }
  });

  it('serves the ledger to readers: list, detail with target vs actual weights, orders, fills, decisions, equity, reconciliation', async () => {
    const list = PortfolioList.parse((await call('GET', '/portfolios', undefined, AS.reader)).json);
    expect(list.items.map((p) => p.id).sort()).toEqual(['api_sma', 'api_weekly']);
    const detail = PortfolioDetail.parse(
      (await call('GET', '/portfolios/api_weekly', undefined, AS.reader)).json,
    );
    expect(detail.last_date).toBe(TEST_DATE);
    expect(detail.positions.length).toBeGreaterThan(0);
    expect(detail.positions.some((p) => p.target_weight !== null)).toBe(true);
    expect(detail.kill_switch.killed).toBe(false);
    const orders = OrderList.parse(
      (await call('GET', '/portfolios/api_weekly/orders?limit=5', undefined, AS.reader)).json,
    );
    expect(orders.items.length).toBeGreaterThan(0);
    expect(orders.items.length).toBeLessThanOrEqual(5);
    FillList.parse((await call('GET', '/portfolios/api_weekly/fills', undefined, AS.reader)).json);
    const decisions = DecisionList.parse(
      (await call('GET', '/portfolios/api_weekly/decisions', undefined, AS.reader)).json,
    );
    for (const d of decisions.items) expect(d.reason).not.toBe('');
    const equity = EquityCurve.parse(
      (await call('GET', '/portfolios/api_sma/equity', undefined, AS.reader)).json,
    );
    expect(equity.items.at(-1)!.date).toBe(TEST_DATE);
    // The strategy's backtest over the same days sits beside the paper curve, equal to it.
    for (const e of equity.items) expect(e.backtest_equity! / e.equity - 1).toBeLessThan(1e-9);
    const rec = ReconciliationView.parse(
      (await call('GET', '/portfolios/api_sma/reconcile', undefined, AS.reader)).json,
    );
    expect(rec.differences).toEqual([]);
  });

  it('answers 404 for an unknown portfolio and 400 for a malformed id or query', async () => {
    expect((await call('GET', '/portfolios/nope', undefined, AS.reader)).status).toBe(404);
    expect((await call('GET', '/portfolios/Not%20An%20Id', undefined, AS.reader)).status).toBe(400);
    expect((await call('GET', '/portfolios/nope/decisions', undefined, AS.reader)).json.items).toEqual([]);
    expect((await call('GET', '/portfolios/api_sma/orders?limit=0', undefined, AS.reader)).status).toBe(400);
    expect(
      (await call('GET', '/portfolios/api_sma/decisions?date=2026-02-30', undefined, AS.reader)).status,
    ).toBe(400);
    expect((await call('GET', '/portfolios/api_weekly/reconcile', undefined, AS.reader)).status).toBe(400);
  });

  it('pauses a portfolio and works the kill switch as an admin', async () => {
    const paused = await call('PATCH', '/portfolios/api_weekly', { trading_enabled: false });
    expect(paused.status).toBe(200);
    expect(paused.json.trading_enabled).toBe(false);
    expect((await call('POST', '/kill-switch', { killed: true }, AS.reader)).status).toBe(403);
    const killed = KillSwitchResult.parse(
      (await call('POST', '/kill-switch', { killed: true, reason: 'test' })).json,
    );
    expect(killed).toMatchObject({ killed: true, reason: 'test' });
    expect((await call('GET', '/kill-switch', undefined, AS.reader)).json.killed).toBe(true);
    expect((await call('POST', '/kill-switch', { killed: 'yes' })).status).toBe(400);
    const released = KillSwitchResult.parse((await call('POST', '/kill-switch', { killed: false })).json);
    expect(released.killed).toBe(false);
  });
});
