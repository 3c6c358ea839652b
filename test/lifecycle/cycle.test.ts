import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { adminAction } from '../../shared/lifecycle/actions.ts';
import { LifecycleGates, loadLifecycleConfig, updateLifecycleConfig } from '../../shared/lifecycle/config.ts';
import { type BacktestEvaluation, paperVerdict } from '../../shared/lifecycle/gates.ts';
import { startLifecycleCycle } from '../../shared/lifecycle/start.ts';
import { enrolStrategy } from '../../shared/lifecycle/store.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { TestDatabase } from '../support/db.ts';
import { ingestUniverse } from '../support/ingest.ts';
import { createPipelineFixture, TEST_DATE, TEST_HISTORY_FROM } from '../support/pipeline.ts';

// The discovery loop through the queue over the demo equities: an hour proposes, backtests and gates
// strategies (every move a transition with its metrics), the same hour again changes nothing, and a
// later cycle judges the paper strategies against their backtest's band; admins act with a reason.

const PAPER_DATE = '2026-09-30';
const PAPER_AT = new Date('2026-10-01T10:20:00Z');
const LATER_AT = new Date('2026-11-21T10:20:00Z');

async function cycle(ctx: PipelineContext, at: Date, date: string) {
  const started = await startLifecycleCycle(ctx, { at, date });
  await drainUntilIdle(ctx, 'lifecycle-test');
  return started;
}

async function rows(ctx: PipelineContext) {
  return {
    lifecycle: await ctx.sql`
      select strategy_id, strategy_version, phase, paused, origin, builtin, params, proposed_hour, evaluation,
        portfolio_id, paper_since::text, live_since::text
      from strategy_lifecycle order by strategy_id`,
    transitions: await ctx.sql`
      select strategy_id, action, from_phase, to_phase, actor, reason, metrics
      from strategy_transitions order by id`,
  };
}

describe('lifecycle discovery loop', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    await ingestUniverse(ctx, 'equity_all', TEST_DATE, TEST_HISTORY_FROM);
  }, 240_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('proposes, backtests and gates the configured number per hour with the default gates', async () => {
    const config = await loadLifecycleConfig(ctx.sql);
    expect(config.proposals_per_hour).toBe(3);
    expect(config.gates).toEqual(LifecycleGates.parse({}));
    const { run, hour } = await cycle(ctx, PAPER_AT, PAPER_DATE);
    expect(hour).toBe('2026-10-01T10:00:00.000Z');
    const [done] = await ctx.sql`select status, summary from pipeline_runs where id = ${run.id}`;
    expect(done!.status).toBe('succeeded');
    const { lifecycle, transitions } = await rows(ctx);
    expect(lifecycle).toHaveLength(3);
    for (const s of lifecycle) {
      expect(s.origin).toBe('discovery');
      expect(s.strategy_id.startsWith(`${s.builtin}_`)).toBe(true);
      const e = s.evaluation as BacktestEvaluation;
      expect(e.checks.map((c) => c.gate)).toEqual(['trades', 'sharpe', 'return', 'max_drawdown', 'dsr']);
      // The phase is what the gates said, and the transition carries the numbers.
      expect(s.phase).toBe(e.pass ? 'paper' : 'rejected');
      const moved = transitions.find((t) => t.strategy_id === s.strategy_id && t.from_phase === 'backtest');
      expect(moved).toMatchObject({ actor: 'system', to_phase: s.phase });
      expect(moved!.metrics).toMatchObject({ dsr: e.dsr, trials: e.trials, as_of: PAPER_DATE });
      expect(moved!.reason).toMatch(/^backtest \d{4}-\d{2}-\d{2}\.\.2026-09-30: (passed|failed)/);
    }
    // Every evaluation counts the trials before it: 1, 2, 3 (no search trials in this database).
    expect(lifecycle.map((s) => (s.evaluation as BacktestEvaluation).trials).sort()).toEqual([1, 2, 3]);
    const [c] = await ctx.sql`select proposed, run_id from lifecycle_cycles where hour = ${hour}`;
    expect(c).toMatchObject({ proposed: 3, run_id: run.id });
  }, 240_000);

  it('runs the same hour again without a new row or transition', async () => {
    const before = await rows(ctx);
    await cycle(ctx, new Date(PAPER_AT.getTime() + 20 * 60_000), PAPER_DATE);
    expect(await rows(ctx)).toEqual(before);
  }, 240_000);

  it('sends strategies that pass to paper and judges them against the band on a later day', async () => {
    // Gates an admin loosened: everything that trades reaches paper, so the paper step has work.
    await updateLifecycleConfig(
      ctx.sql,
      { gates: { min_trades: 1, min_sharpe: -10, min_return: -1, max_drawdown: 1, min_dsr: 0 } },
      'test-admin',
    );
    const next = new Date(PAPER_AT.getTime() + 3600_000);
    await cycle(ctx, next, PAPER_DATE);
    const paper = await ctx.sql<
      { strategy_id: string; portfolio_id: string; evaluation: BacktestEvaluation }[]
    >`
      select strategy_id, portfolio_id, evaluation from strategy_lifecycle where phase = 'paper'`;
    expect(paper.length).toBeGreaterThan(0);
    for (const p of paper) {
      const [pf] =
        await ctx.sql`select strategy_id, mode, start_date::text from portfolios where id = ${p.portfolio_id}`;
      expect(pf).toEqual({ strategy_id: p.strategy_id, mode: 'paper', start_date: PAPER_DATE });
    }

    await cycle(ctx, LATER_AT, TEST_DATE);
    const gates = (await loadLifecycleConfig(ctx.sql)).gates;
    for (const p of paper) {
      const equity = await ctx.sql<{ equity: number }[]>`
        select equity from portfolio_equity where portfolio_id = ${p.portfolio_id} and date > ${PAPER_DATE}::date
        order by date`;
      expect(equity.length).toBeGreaterThan(gates.paper_min_days);
      const ret = equity.at(-1)!.equity / gates.paper_cash - 1;
      const [after] =
        await ctx.sql`select phase from strategy_lifecycle where strategy_id = ${p.strategy_id}`;
      const [t] = await ctx.sql`
        select action, reason, metrics from strategy_transitions
        where strategy_id = ${p.strategy_id} and from_phase = 'paper' order by id desc limit 1`;
      // Past the 30-day timeout every paper strategy has left paper, by the verdict its numbers give
      // (recomputed with the live slots it saw: slots are taken in order).
      expect(equity.length).toBeGreaterThan(gates.paper_timeout_days);
      expect(t).toBeDefined();
      const verdict = paperVerdict(p.evaluation, equity.length, ret, t!.metrics.live_slots, gates);
      expect(verdict.reason).toBe(t!.reason.split('; live on')[0]);
      expect(after!.phase).toBe(verdict.action === 'promote' ? 'live' : 'rejected');
      expect(t!.metrics).toMatchObject({ paper_days: equity.length, paper_return: ret, as_of: TEST_DATE });
    }
  }, 400_000);

  it('lets an admin enrol, pause, resume, promote and reject with a reason, refusing what the phase forbids', async () => {
    const enrolled = await enrolStrategy(ctx.sql, 'sma_cross', 'equity_all', 'admin: try the classic');
    expect(enrolled.phase).toBe('backtest');
    await expect(enrolStrategy(ctx.sql, 'sma_cross', 'equity_all', 'again')).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(adminAction(ctx.sql, 'sma_cross', 'promote', 'go', 'root', TEST_DATE)).rejects.toThrow(
      /no backtest yet/,
    );
    const paused = await adminAction(ctx.sql, 'sma_cross', 'pause', 'hold it', 'root', TEST_DATE);
    expect(paused.paused).toBe(true);
    await expect(
      adminAction(ctx.sql, 'sma_cross', 'pause', 'twice', 'root', TEST_DATE),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await adminAction(ctx.sql, 'sma_cross', 'resume', 'carry on', 'root', TEST_DATE);
    const rejected = await adminAction(ctx.sql, 'sma_cross', 'reject', 'not today', 'root', TEST_DATE);
    expect(rejected.phase).toBe('rejected');
    await expect(
      adminAction(ctx.sql, 'sma_cross', 'reject', 'again', 'root', TEST_DATE),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const history = await ctx.sql`
      select action, from_phase, to_phase, actor, reason from strategy_transitions
      where strategy_id = 'sma_cross' order by id`;
    expect(history).toEqual([
      {
        action: 'enrol',
        from_phase: null,
        to_phase: 'backtest',
        actor: 'admin',
        reason: 'admin: try the classic',
      },
      {
        action: 'pause',
        from_phase: 'backtest',
        to_phase: 'backtest',
        actor: 'admin',
        reason: 'root: hold it',
      },
      {
        action: 'resume',
        from_phase: 'backtest',
        to_phase: 'backtest',
        actor: 'admin',
        reason: 'root: carry on',
      },
      {
        action: 'reject',
        from_phase: 'backtest',
        to_phase: 'rejected',
        actor: 'admin',
        reason: 'root: not today',
      },
    ]);
    await expect(adminAction(ctx.sql, 'nope', 'pause', 'x', 'root', TEST_DATE)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
