import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import {
  BacktestComparison,
  BacktestDetail,
  BacktestList,
  BacktestStarted,
} from '../../shared/api/contracts/backtests.ts';
import {
  StrategyDetail,
  StrategyList,
  StrategySaved,
  StrategyValidation,
} from '../../shared/api/contracts/strategies.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createApp } from '../../supabase/functions/control-api/app.ts';
import { apiCaller } from '../support/api.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, seedAndRun, TEST_DATE } from '../support/pipeline.ts';
import { everyEquity, rsiStrategy } from '../support/templates.ts';

/** A two-sided RSI strategy over catalogue features, with an ATR stop and a target. */
const rsiSwing = (extra: Record<string, unknown> = {}) => ({
  id: 'rsi_swing',
  name: 'RSI swing',
  description: 'Long below RSI 40, out above 60, ATR stop.',
  type: 'MR',
  asset_types: ['equity'],
  entry: {
    long: { when: { left: { feature: 'rsi_14' }, op: '<', right: { value: 40 } } },
    rank: { by: 'rsi_14', order: 'asc' },
    max_positions: 5,
  },
  exit: {
    stop: { atr: 2 },
    targets: [{ pct: 0.08, fraction: 1 }],
    signal: { long: { left: { feature: 'rsi_14' }, op: '>', right: { value: 60 } } },
  },
  sizing: { mode: 'equal' },
  ...extra,
});

/** A backtest of the stored rsi_swing v1 over the demo equities this year. */
const RSI_SWING_RUN = {
  strategy: 'rsi_swing',
  version: 1,
  universe: 'equity_all',
  from: '2026-01-02',
  to: TEST_DATE,
};

describe('control-api strategies and backtests (in-process, real Postgres and queue)', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let app: ReturnType<typeof createApp>;

  const call = (method: string, path: string, body?: unknown) => apiCaller(app)(method, path, body);
  const rows = async (id: number) => ({
    trades: await ctx.sql`select * from backtest_trades where backtest_id = ${id} order by seq`,
    equity: await ctx.sql`select * from backtest_equity where backtest_id = ${id} order by date`,
  });

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await seedAndRun(ctx);
    app = createApp(ctx);
  });
  afterAll(() => db.drop());

  it('lists the built-in strategies stored by migrate, each with its <ASSET>_<TYPE>_<ID> name', async () => {
    const res = await call('GET', '/strategies');
    expect(res.status).toBe(200);
    const list = StrategyList.parse(res.json);
    const sma = list.items.find((s) => s.id === 'sma_cross');
    expect(sma).toMatchObject({ builtin: true, version: 1 });
    expect(sma!.name).toMatch(/^MULTI_TF_[0-9A-Z]{5}$/);
    // A built-in offers its parameters to the run form; other strategies take none.
    expect(sma!.parameters.map((p) => [p.name, p.default, p.min, p.max])).toEqual([
      ['fast', 10, 2, 400],
      ['slow', 30, 2, 400],
    ]);
    expect(list.items.filter((s) => !s.builtin).every((s) => s.parameters.length === 0)).toBe(true);
  });

  it('validates without storing, naming the field of each problem; POST refuses an invalid spec with 400', async () => {
    const ok = StrategyValidation.parse((await call('POST', '/strategies/validate', rsiSwing())).json);
    expect(ok).toMatchObject({ valid: true, issues: [] });
    expect(ok.name).toMatch(/^MULTI_MR_/);
    const bad = rsiSwing({
      entry: {
        long: { when: { left: { feature: 'rsi_99' }, op: '<', right: { value: 40 } } },
        max_positions: 5,
      },
    });
    const checked = StrategyValidation.parse((await call('POST', '/strategies/validate', bad)).json);
    expect(checked.valid).toBe(false);
    expect(checked.issues[0]!.path).toBe('entry.long.when.left.feature');
    const refused = await call('POST', '/strategies', bad);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toContain('entry.long.when.left.feature');
    const unknownTemplate = rsiSwing({
      entry: { long: { signals: { mode: 'any', templates: ['no_such_template'] } }, max_positions: 5 },
    });
    const t = await call('POST', '/strategies', unknownTemplate);
    expect(t.status).toBe(400);
    expect(t.json.error).toContain('entry.long.signals.templates.0');
    expect(await ctx.sql`select 1 from strategies where id = 'rsi_swing'`).toHaveLength(0);
  });

  it('stores version 1, then a changed spec as version 2; an identical one changes nothing', async () => {
    const v1 = StrategySaved.parse((await call('POST', '/strategies', rsiSwing())).json);
    expect(v1).toMatchObject({ id: 'rsi_swing', version: 1, changed: true });
    const same = StrategySaved.parse((await call('POST', '/strategies', rsiSwing())).json);
    expect(same).toMatchObject({ version: 1, changed: false });
    const v2 = StrategySaved.parse(
      (
        await call(
          'POST',
          '/strategies',
          rsiSwing({ description: 'Tighter stop.', exit: { stop: { atr: 1.5 } } }),
        )
      ).json,
    );
    expect(v2).toMatchObject({ version: 2, changed: true });
    expect(v2.name).not.toBe(v1.name);
    const detail = StrategyDetail.parse((await call('GET', '/strategies/rsi_swing')).json);
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await call('POST', '/strategies', { ...rsiSwing(), id: 'sma_cross' })).status).toBe(409);
    expect((await call('GET', '/strategies/nope')).status).toBe(404);
  });

  it('POST /backtests queues a run; draining fills trades, equity and metrics; a rerun converges to the same rows', async () => {
    const body = RSI_SWING_RUN;
    const started = await call('POST', '/backtests', body);
    expect(started.status).toBe(202);
    const bt = BacktestStarted.parse(started.json);
    expect(bt).toMatchObject({ status: 'queued', created: true, strategy_version: 1 });
    await drainUntilIdle(ctx, 'backtests-test');
    const detail = BacktestDetail.parse((await call('GET', `/backtests/${bt.id}`)).json);
    expect(detail.status).toBe('succeeded');
    expect(detail.trades.length).toBeGreaterThan(0);
    expect(detail.equity[0]!.date >= '2026-01-02').toBe(true);
    expect(detail.equity.at(-1)!.date).toBe(TEST_DATE);
    expect(detail.benchmark?.symbol).toBe('SPY');
    expect(detail.summary!.trades).toBe(detail.trades.length);
    expect(detail.summary!.equity_final).toBe(detail.equity.at(-1)!.equity);
    for (const e of detail.equity) expect(e.drawdown).toBeLessThanOrEqual(0);
    const before = await rows(bt.id);

    // The same spec, data and range: the same backtest, nothing queued.
    const again = BacktestStarted.parse((await call('POST', '/backtests', body)).json);
    expect(again).toMatchObject({ id: bt.id, created: false, status: 'succeeded' });
    // Rerunning the job itself rewrites the same rows.
    await ctx.sql`update pipeline_jobs set status = 'queued', attempts = 0 where run_id = ${bt.run_id}`;
    await ctx.sql`update pipeline_runs set status = 'running', finished_at = null where id = ${bt.run_id}`;
    await drainUntilIdle(ctx, 'backtests-test');
    expect(await rows(bt.id)).toEqual(before);

    // A second backtest on the same universe and end date coexists (its own run), and compares.
    const other = BacktestStarted.parse((await call('POST', '/backtests', { ...body, version: 2 })).json);
    expect(other.id).not.toBe(bt.id);
    await drainUntilIdle(ctx, 'backtests-test');
    const cmp = BacktestComparison.parse(
      (await call('GET', `/backtests/compare?a=${bt.id}&b=${other.id}`)).json,
    );
    expect(cmp.a.id).toBe(bt.id);
    expect(cmp.b.status).toBe('succeeded');
    expect(cmp.difference.trades).toBe((cmp.b.metrics!.trades ?? 0) - (cmp.a.metrics!.trades ?? 0));
    const list = BacktestList.parse((await call('GET', '/backtests?strategy=rsi_swing')).json);
    expect(list.items.map((b) => b.id)).toEqual([other.id, bt.id]);
    // Backtest runs stay out of the pipeline's run list.
    const runs = (await call('GET', '/runs')).json as { items: { stage: string }[] };
    expect(runs.items.some((r) => r.stage === 'backtest')).toBe(false);
  });

  it('walk_forward stores folds and the out-of-sample summary; a rerun converges; a short embargo is a 400', async () => {
    const body = {
      ...RSI_SWING_RUN,
      walk_forward: { mode: 'rolling', train: 60, test: 30 },
    };
    const started = await call('POST', '/backtests', body);
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    const bt = BacktestStarted.parse(started.json);
    // rsi_swing reads rsi_14 and atr_14: the embargo defaults to their lookback.
    expect(bt.walk_forward).toMatchObject({ mode: 'rolling', train: 60, test: 30, step: 30 });
    expect(bt.walk_forward!.embargo).toBeGreaterThanOrEqual(14);
    // A plain backtest of the same range is another backtest.
    const plain = await ctx.sql`
      select id from backtests where strategy_id = 'rsi_swing' and strategy_version = 1 and walk_forward is null`;
    expect(plain.map((r) => r.id)).not.toContain(bt.id);
    await drainUntilIdle(ctx, 'backtests-test');
    const detail = BacktestDetail.parse((await call('GET', `/backtests/${bt.id}`)).json);
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    expect(detail.folds.length).toBeGreaterThanOrEqual(3);
    const embargo = detail.walk_forward!.embargo;
    const dates = detail.equity.map((e) => e.date);
    for (const [k, f] of detail.folds.entries()) {
      // Rolling: each fold's train window slides by the step; test follows train after the embargo.
      expect(dates.indexOf(f.train_from)).toBe(k * 30);
      expect(dates.indexOf(f.train_to) - dates.indexOf(f.train_from)).toBe(59);
      expect(dates.indexOf(f.test_from) - dates.indexOf(f.train_to)).toBe(embargo + 1);
      expect(dates.indexOf(f.test_to) - dates.indexOf(f.test_from)).toBe(29);
      expect(f.train).toHaveProperty('sharpe');
      expect(f.test.trades).toBeTypeOf('number');
    }
    expect(detail.oos!.summary.trades).toBe(detail.folds.reduce((s, f) => s + (f.test.trades ?? 0), 0));
    expect(detail.oos!.metrics.total_return).toBeTypeOf('number');
    const stored = async () =>
      (await ctx.sql`select folds, oos, walk_forward from backtests where id = ${bt.id}`)[0];
    const before = await stored();

    // The same request (defaults spelled out) is the same backtest; rerunning its job rewrites the same folds.
    const again = BacktestStarted.parse(
      (
        await call('POST', '/backtests', {
          ...body,
          walk_forward: { mode: 'rolling', train: 60, test: 30, step: 30, embargo },
        })
      ).json,
    );
    expect(again).toMatchObject({ id: bt.id, created: false });
    await ctx.sql`update pipeline_jobs set status = 'queued', attempts = 0 where run_id = ${bt.run_id}`;
    await ctx.sql`update pipeline_runs set status = 'running', finished_at = null where id = ${bt.run_id}`;
    await drainUntilIdle(ctx, 'backtests-test');
    expect(await stored()).toEqual(before);

    const count = async () => (await ctx.sql`select count(*)::int as n from backtests`)[0]!.n as number;
    const n0 = await count();
    const shortEmbargo = await call('POST', '/backtests', {
      ...body,
      walk_forward: { mode: 'anchored', train: 60, test: 30, embargo: 2 },
    });
    expect(shortEmbargo.status).toBe(400);
    expect(shortEmbargo.json.code).toBe('invalid_input');
    expect(shortEmbargo.json.error).toContain('walk_forward.embargo');
    for (const walk_forward of [
      { mode: 'rolling', train: 60, test: 30, step: 10 },
      { mode: 'rolling', train: 0, test: 30 },
      { mode: 'sideways', train: 60, test: 30 },
      { mode: 'rolling', train: 200, test: 100 },
    ]) {
      const res = await call('POST', '/backtests', { ...body, walk_forward });
      expect(res.status, JSON.stringify(walk_forward)).toBe(400);
      expect(res.json.error).toContain('walk_forward');
    }
    expect(await count()).toBe(n0);
  });

  it('walk_forward embargo covers a stored template the strategy reads, disabled or not', async () => {
    const template = {
      ...everyEquity('wf_probe'),
      when: { left: { feature: 'sma_50' }, op: '>', right: { value: 0 } },
      evidence: ['sma_50'],
    };
    expect((await call('POST', '/templates', template)).status).toBe(201);
    expect((await call('PATCH', '/templates/wf_probe', { enabled: false })).status).toBe(200);
    const strategy = {
      ...rsiStrategy('wf_reader'),
      entry: { long: { signals: { mode: 'any', templates: ['wf_probe'] } }, max_positions: 5 },
    };
    const saved = await call('POST', '/strategies', strategy);
    expect(saved.status, JSON.stringify(saved.json)).toBe(201);
    const body = { strategy: 'wf_reader', universe: 'equity_all', from: '2026-01-02', to: TEST_DATE };
    const short = await call('POST', '/backtests', {
      ...body,
      walk_forward: { mode: 'anchored', train: 40, test: 20, embargo: 30 },
    });
    expect(short.status).toBe(400);
    expect(short.json.error).toContain('walk_forward.embargo');
    const started = await call('POST', '/backtests', {
      ...body,
      walk_forward: { mode: 'anchored', train: 40, test: 20 },
    });
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    // sma_50 reads 49 bars before its first value.
    expect(BacktestStarted.parse(started.json).walk_forward!.embargo).toBe(49);
    await drainUntilIdle(ctx, 'backtests-test');
    const detail = BacktestDetail.parse((await call('GET', `/backtests/${started.json.id}`)).json);
    expect(detail.status, detail.error ?? '').toBe('succeeded');
    expect(new Set(detail.folds.map((f) => f.train_from)).size).toBe(1);
  });

  it('a built-in runs with --set parameters; bad input is a 400 that stores nothing', async () => {
    const count = async () => (await ctx.sql`select count(*)::int as n from backtests`)[0]!.n as number;
    const n0 = await count();
    const sma = await call('POST', '/backtests', {
      strategy: 'sma_cross',
      set: { fast: 5, slow: 20 },
      universe: 'equity_all',
      from: '2026-03-02',
    });
    expect(sma.status).toBe(202);
    await drainUntilIdle(ctx, 'backtests-test');
    const done = BacktestDetail.parse((await call('GET', `/backtests/${sma.json.id}`)).json);
    expect(done, done.error ?? '').toMatchObject({ status: 'succeeded', overrides: { fast: 5, slow: 20 } });

    const bad = [
      { strategy: 'sma_cross', set: { fast: 40, slow: 20 }, universe: 'equity_all' },
      { strategy: 'rsi_swing', set: { fast: 5 }, universe: 'equity_all' },
      { strategy: 'rsi_swing', universe: 'crypto_all' },
      { strategy: 'rsi_swing', universe: 'equity_all', from: '1990-01-01', to: '1990-12-31' },
      { strategy: 'rsi_swing', universe: 'equity_all', from: '2026-05-01', to: '2026-04-01' },
    ];
    for (const body of bad) {
      const res = await call('POST', '/backtests', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.code).toBe('invalid_input');
    }
    await ctx.sql`insert into universes (id, name, asset_type, symbols) values ('empty_list', 'Empty', 'equity', '{}')`;
    const empty = await call('POST', '/backtests', { strategy: 'rsi_swing', universe: 'empty_list' });
    expect(empty.status).toBe(400);
    expect(empty.json.error).toContain('no bars');
    expect((await call('POST', '/backtests', { strategy: 'nope', universe: 'equity_all' })).status).toBe(404);
    expect(await count()).toBe(n0 + 1);
  });
});
