import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { LearningOverview } from '../../shared/api/contracts/learning.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { tradingDays } from '../../shared/calendar/index.ts';
import type { Experience } from '../../shared/learning/experience.ts';
import { blockingRule } from '../../shared/learning/rules.ts';
import { runLearning } from '../../shared/learning/run.ts';
import { decideRule, loadRules, recordExperience } from '../../shared/learning/store.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { createPortfolio } from '../../shared/portfolio/ledger/store.ts';
import { closedTrades, type TradeFill } from '../../shared/portfolio/ledger/trades.ts';
import { tradePortfolio } from '../../shared/portfolio/run/index.ts';
import { saveStrategy } from '../../shared/strategy/store.ts';
import { createApp as controlApi } from '../../supabase/functions/control-api/app.ts';
import { apiCaller } from '../support/api.ts';
import { AS } from '../support/auth.ts';
import type { TestDatabase } from '../support/db.ts';
import { ingestUniverse } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';
import { mulberry32 } from '../support/random.ts';

// The learning loop over a paper portfolio's real ledger: closed trades join the buffer with their
// decision day's stored features, ghosts walk the stored bars, a rerun changes nothing; and a planted
// failure condition in live experiences becomes a proposed rule an admin activates, which then blocks.

const SPEC = {
  id: 'learn_swing',
  name: 'Learning swing',
  description: 'SMA 5/20 crosses long, 5% stop, 8% target, 10-bar time stop.',
  type: 'TF',
  asset_types: ['equity'],
  entry: {
    long: {
      ma_cross: { fast: { kind: 'sma', period: 5 }, slow: { kind: 'sma', period: 20 }, cross: 'above' },
    },
    max_positions: 8,
  },
  exit: { stop: { pct: 0.05 }, targets: [{ pct: 0.08, fraction: 1 }], time_stop_bars: 10 },
  sizing: { mode: 'fixed_fraction', fraction: 0.1 },
  costs: { fee_rate: 0.001, fee_fixed: 0, slippage_rate: 0 },
};
const START = '2026-05-01';
const AT = `${TEST_DATE}T23:00:00.000Z`;

describe('learning run over the paper ledger', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await ingestUniverse(ctx, 'equity_all', TEST_DATE, TEST_HISTORY_FROM);
    await triggerRun(ctx, {
      stage: 'features',
      universe: 'equity_all',
      date: TEST_DATE,
      from: TEST_HISTORY_FROM,
    });
    await drainUntilIdle(ctx, 'learning-test');
    await saveStrategy(ctx.sql, SPEC);
    await createPortfolio(ctx.sql, {
      id: 'learn_swing',
      name: 'Learning swing',
      strategy: 'learn_swing',
      universe: 'equity_all',
      starting_cash: 100_000,
      start_date: START,
    });
    for (const date of tradingDays('equity', START, TEST_DATE))
      await tradePortfolio(ctx, 'learn_swing', date);
  }, 300_000);
  afterAll(async () => {
    await db?.drop();
  });

  const buffer = () =>
    ctx.sql<
      {
        id: string;
        trade_key: string;
        kind: string;
        setup: string;
        symbol: string;
        at: Date;
        price: number;
        pnl: number | null;
        outcome: string | null;
        snapshot: Record<string, number | null>;
      }[]
    >`
      select id, trade_key, kind, setup, symbol, at, price, pnl, outcome, snapshot from learning_experiences order by id`;

  it('records every closed paper trade as an entry with its decision day’s features and an exit with its result', async () => {
    const summary = await runLearning(ctx.sql, AT, { benchmarks: ctx.benchmarks });
    const fills = await ctx.sql<TradeFill[]>`
      select date::text, symbol, asset_type, side, qty, price, fee, rule from portfolio_fills
      where portfolio_id = 'learn_swing' order by seq`;
    const trades = closedTrades(fills);
    expect(trades.length).toBeGreaterThan(5);
    expect(summary.harvested).toBe(2 * trades.length);
    expect(summary.trades).toBe(trades.length);

    const rows = await buffer();
    const entries = rows.filter((r) => r.kind === 'entry');
    const exits = rows.filter((r) => r.kind === 'exit');
    expect(entries).toHaveLength(trades.length);
    expect(exits).toHaveLength(trades.length);
    expect(new Set(rows.map((r) => r.setup))).toEqual(new Set(['learn_swing']));
    for (const t of trades) {
      const key = `learn_swing:equity:${t.symbol}:${t.entryDate}`;
      const exit = exits.find((r) => r.trade_key === key)!;
      expect(exit.pnl).toBeCloseTo(t.returnPct, 12);
      expect(exit.outcome).toBe(t.outcome);
      expect(exit.price).toBeCloseTo(t.exitPrice, 9);
    }
    // The entry's snapshot is the asset's stored features row of the last day before the fill.
    const first = entries[0]!;
    const [decision] = await ctx.sql<
      { date: string; rsi_14: number; pattern_bull_flag: number; dist_sma_200: number | null }[]
    >`
      select f.date::text, f.rsi_14, f.pattern_bull_flag, f.dist_sma_200 from daily_features f join assets a on a.id = f.asset_id
      where a.symbol = ${first.symbol} and a.asset_type = 'equity' and f.date < ${first.at.toISOString().slice(0, 10)}
      order by f.date desc limit 1`;
    expect(first.snapshot.rsi_14).toBe(decision!.rsi_14);
    expect(first.snapshot.pattern_bull_flag).toBe(decision!.pattern_bull_flag);
    expect(first.snapshot).not.toHaveProperty('asset_id');
    expect([0, 1, null]).toContain(first.snapshot.regime_risk_off);
  });

  it('walks each shadow’s ghost over the stored bars from the entry, and reruns to the same rows', async () => {
    const ghosts = await ctx.sql<
      {
        shadow: string;
        trade_key: string;
        entry_at: Date;
        exit_at: Date;
        entry_price: number;
        exit_price: number;
        pnl: number;
        exit_reason: string;
      }[]
    >`
      select * from learning_ghost_trades order by shadow, trade_key`;
    expect(new Set(ghosts.map((g) => g.shadow))).toEqual(new Set(['tighter', 'wider', 'scalp']));
    for (const g of ghosts) {
      expect(g.exit_at.getTime()).toBeGreaterThan(g.entry_at.getTime());
      expect(g.pnl).toBeCloseTo(g.exit_price / g.entry_price - 1, 12);
    }
    // Scalp holds at most 3 bars after the entry.
    const scalp = ghosts.filter((g) => g.shadow === 'scalp');
    const days = tradingDays('equity', START, TEST_DATE);
    for (const g of scalp) {
      const held =
        days.indexOf(g.exit_at.toISOString().slice(0, 10)) -
        days.indexOf(g.entry_at.toISOString().slice(0, 10));
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThanOrEqual(3);
    }

    const before = { rows: await buffer(), ghosts, rules: await loadRules(ctx.sql) };
    const again = await runLearning(ctx.sql, AT, { benchmarks: ctx.benchmarks });
    expect(again.harvested).toBe(0);
    expect(await buffer()).toEqual(before.rows);
    expect(await ctx.sql`select * from learning_ghost_trades order by shadow, trade_key`).toEqual(
      before.ghosts,
    );
    expect(await loadRules(ctx.sql)).toEqual(before.rules);
  });

  it('proposes a rule for a planted failure condition; an admin activates it and it blocks matching buys', async () => {
    // 120 live trades of one setup: entries with an overbought RSI win 10% of the time, the rest 65%.
    const rand = mulberry32(17);
    const events: Experience[] = [];
    for (let i = 0; i < 120; i++) {
      const rsi = 20 + 70 * rand();
      const win = rand() < (rsi >= 72 ? 0.1 : 0.65);
      const base = {
        tradeKey: `live-${i}`,
        source: 'live' as const,
        setup: 'stream_momentum',
        symbol: 'AAPL',
        assetType: 'equity' as const,
        side: 'long' as const,
      };
      events.push(
        {
          ...base,
          kind: 'entry',
          at: '2026-11-02T15:00:00.000Z',
          price: 100,
          snapshot: { rsi_14: rsi, vwap_distance: rand() },
        },
        {
          ...base,
          kind: 'exit',
          at: '2026-11-02T16:00:00.000Z',
          price: win ? 102 : 98,
          pnl: win ? 0.02 : -0.02,
          outcome: win ? 'win' : 'stop',
          exitReason: win ? 'target' : 'stop',
          snapshot: {},
        },
      );
    }
    await recordExperience(ctx.sql, events);
    const summary = await runLearning(ctx.sql, AT, { benchmarks: ctx.benchmarks });
    expect(summary.proposed).toBeGreaterThan(0);
    const proposed = (await loadRules(ctx.sql, 'proposed')).filter((r) => r.setup === 'stream_momentum');
    const overbought = proposed.find((r) =>
      r.conditions.some((c) => c.feature === 'rsi_14' && c.op === '>='),
    )!;
    expect(overbought.successRate).toBeLessThan(0.4);
    expect(overbought.support).toBeGreaterThanOrEqual(10);

    const snapshot = Object.fromEntries(
      overbought.conditions.map((c) => [c.feature, c.op === '>=' ? c.value + 1 : c.value - 1]),
    );
    expect(blockingRule(await loadRules(ctx.sql, 'active'), 'stream_momentum', snapshot)).toBeUndefined();
    await decideRule(ctx.sql, overbought.id, 'active', 'admin@test', 'overbought breakouts fail');
    const active = await loadRules(ctx.sql, 'active');
    expect(blockingRule(active, 'stream_momentum', snapshot)?.rule.id).toBe(overbought.id);
    expect(blockingRule(active, 'stream_momentum', snapshot)?.reason).toMatch(
      /^learned rule #\d+ \(stream_momentum: rsi_14 >= /,
    );

    // A rerun keeps the admin's decision and its row.
    await runLearning(ctx.sql, AT, { benchmarks: ctx.benchmarks });
    expect((await loadRules(ctx.sql, 'active')).map((r) => r.id)).toEqual([overbought.id]);
    await expect(decideRule(ctx.sql, 999_999, 'active', 'admin@test', 'x')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('serves the buffer, the rules and the shadows on /learning; admins activate and retire rules', async () => {
    const call = apiCaller(controlApi(ctx));
    const res = await call('GET', '/learning', undefined, AS.reader);
    expect(res.status).toBe(200);
    const view = LearningOverview.parse(res.json);
    const [counts] = await ctx.sql<{ n: number }[]>`select count(*)::int as n from learning_experiences`;
    expect(view.buffer.events).toBe(counts!.n);
    expect(view.buffer.capacity).toBe(20_000);
    expect(view.buffer.setups.map((s) => s.setup).sort()).toEqual(['learn_swing', 'stream_momentum']);
    const active = view.rules.find((r) => r.status === 'active')!;
    expect(active.description).toMatch(/^rsi_14 >= /);
    expect(view.shadows.map((s) => s.shadow)).toEqual(['tighter', 'wider', 'scalp']);

    expect(
      (await call('POST', `/learning/rules/${active.id}`, { status: 'retired', reason: 'r' }, AS.reader))
        .status,
    ).toBe(403);
    expect(
      (await call('POST', `/learning/rules/${active.id}`, { status: 'retired', reason: 'r' }, {})).status,
    ).toBe(401);
    const bad = await call('POST', `/learning/rules/${active.id}`, { status: 'paused', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'invalid_input' });
    expect(
      (await call('POST', '/learning/rules/999999', { status: 'active', reason: 'r' })).json,
    ).toMatchObject({ code: 'not_found' });
    expect((await call('POST', '/learning/rules/abc', { status: 'active', reason: 'r' })).status).toBe(400);
    const retired = await call('POST', `/learning/rules/${active.id}`, {
      status: 'retired',
      reason: 'market changed',
    });
    expect(retired.status).toBe(200);
    expect(retired.json).toMatchObject({ id: active.id, status: 'retired' });
    expect(await loadRules(ctx.sql, 'active')).toEqual([]);
  });

  it('keeps the buffer to its latest events, and a later harvest does not bring the dropped ones back', async () => {
    const before = await buffer();
    const latest = [...before].sort((a, b) => b.at.getTime() - a.at.getTime() || Number(b.id) - Number(a.id));
    await runLearning(ctx.sql, AT, { benchmarks: ctx.benchmarks, keep: 10 });
    const after = await buffer();
    expect(after.map((r) => r.id).sort()).toEqual(
      latest
        .slice(0, 10)
        .map((r) => r.id)
        .sort(),
    );
    const again = await runLearning(ctx.sql, AT, { benchmarks: ctx.benchmarks, keep: 10 });
    expect(again.harvested).toBe(0);
    expect(await buffer()).toEqual(after);
  });

  it('runs after the trade stage of the daily chain, its counters in the run summary', async () => {
    await triggerRun(ctx, { stage: 'trade', universe: 'equity_all', date: TEST_DATE });
    await drainUntilIdle(ctx, 'learning-test');
    const [run] = await ctx.sql<{ status: string; summary: Record<string, unknown> }[]>`
      select status, summary from pipeline_runs where stage = 'trade' order by created_at desc limit 1`;
    expect(run!.status).toBe('succeeded');
    expect(JSON.stringify(run!.summary)).toMatch(/"learning_trades":\d+/);
  });
});
