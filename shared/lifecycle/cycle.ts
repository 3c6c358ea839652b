// One hour of the discovery loop: propose new strategies from the search space, backtest every strategy
// waiting in the backtest phase through the engine and gate it, and advance the paper and live ones
// through their paper portfolios. Every move is a stored transition with its metrics; running the same
// hour again converges to the same rows.

import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import { runBacktest } from '../engine/backtest.ts';
import { loadPanel } from '../engine/load.ts';
import { errorMessage } from '../errors/index.ts';
import { sentimentSeries } from '../news/sentiment/inputs.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import { createPortfolio } from '../portfolio/ledger/store.ts';
import { tradePortfolio } from '../portfolio/run/index.ts';
import { loadStrategy, saveStrategy } from '../strategy/store.ts';
import { type LifecycleConfig, loadLifecycleConfig } from './config.ts';
import {
  type BacktestEvaluation,
  evaluateBacktest,
  evaluationReason,
  liveVerdict,
  paperVerdict,
  robustSharpeVariance,
  type TrialCount,
} from './gates.ts';
import { propose } from './propose.ts';
import { applyTransition, LIFECYCLE_COLUMNS, type LifecycleRow } from './store.ts';

/** What one cycle did, summed into its run and stored in lifecycle_cycles. */
export interface CycleOutcome {
  proposed: number;
  evaluated: number;
  promoted: number;
  rejected: number;
  retired: number;
  /** Strategies whose backtest could not run (no bars, say): left in backtest with the error. */
  errors: number;
}

/** Calendar days before `date`, as an ISO date. */
function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * Every trial the deflated Sharpe must count: all variations in the search's trial ledger plus every
 * strategy the lifecycle has evaluated, the one at hand included. The Sharpe variance is taken over the
 * lifecycle's own evaluations only: the search's trials are Sharpes of five daily results, not of a
 * year, and mixing the two horizons would make the variance meaningless.
 */
async function trialCount(sql: Sql): Promise<TrialCount> {
  const [row] = await sql<{ search: string; evaluated: string }[]>`
    select (select count(*) from search_trials) as search,
      (select count(*) from strategy_lifecycle where evaluation is not null) as evaluated`;
  const sharpes = await sql<{ s: number }[]>`
    select (evaluation->>'sharpe_period')::float8 as s from strategy_lifecycle
    where evaluation ? 'sharpe_period' and evaluation->>'sharpe_period' is not null`;
  return {
    trials: Number(row!.search) + Number(row!.evaluated) + 1,
    sharpeVariance: robustSharpeVariance(sharpes.map((r) => r.s)),
  };
}

/** Backtests one strategy over the look-back ending at `date` and evaluates it against the gates. */
async function backtestAndGate(
  ctx: PipelineContext,
  row: LifecycleRow,
  config: LifecycleConfig,
  date: string,
): Promise<BacktestEvaluation & { from: string; to: string; strategy_version: number }> {
  const { spec } = await loadStrategy(ctx.sql, row.strategy_id, row.strategy_version);
  const from = daysBefore(date, config.lookback_days);
  const loaded = await loadPanel(
    ctx.sql,
    { spec, universe: row.universe, from, to: date },
    { benchmarks: ctx.benchmarks, sentiment: sentimentSeries(ctx) },
  );
  const result = runBacktest(spec, loaded.panel, { cash: 100_000, from: loaded.from, to: loaded.to });
  const curve = new Float64Array(result.equity.length + 1);
  curve[0] = 100_000;
  curve.set(result.equity, 1);
  const evaluation = evaluateBacktest(
    curve,
    result.trades.length,
    result.periodsPerYear,
    await trialCount(ctx.sql),
    config.gates,
  );
  return {
    ...evaluation,
    from: loaded.panel.dates[loaded.from]!,
    to: loaded.panel.dates[loaded.to]!,
    strategy_version: row.strategy_version,
  };
}

/** The paper portfolio of a strategy: created on first promotion, reused by a rerun. */
async function ensurePaperPortfolio(
  sql: Sql,
  row: LifecycleRow,
  config: LifecycleConfig,
  date: string,
): Promise<string> {
  const id = `lc_${row.strategy_id}`;
  const [existing] = await sql`select id from portfolios where id = ${id}`;
  if (!existing)
    await createPortfolio(sql, {
      id,
      name: `Lifecycle paper: ${row.strategy_id}`,
      strategy: row.strategy_id,
      strategy_version: row.strategy_version,
      universe: row.universe,
      starting_cash: config.gates.paper_cash,
      start_date: date,
    });
  return id;
}

/** Promotes a strategy that passed its backtest gates to paper, with its paper portfolio, in one transaction. */
export async function promoteToPaper(
  sql: Sql,
  row: LifecycleRow,
  config: LifecycleConfig,
  date: string,
  actor: 'system' | 'admin',
  reason: string,
  metrics: Record<string, unknown>,
): Promise<boolean> {
  return sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    const portfolio = await ensurePaperPortfolio(tx, row, config, date);
    return applyTransition(tx, {
      strategyId: row.strategy_id,
      action: 'promote',
      from: 'backtest',
      to: 'paper',
      actor,
      reason,
      metrics: { ...metrics, portfolio },
      set: { portfolio_id: portfolio, paper_since: date },
    });
  });
}

/** The paper portfolio's equity on the days after `since` (its first day is the promotion's close). */
async function equitySince(sql: Sql, portfolio: string, since: string) {
  return sql<{ date: string; equity: number }[]>`
    select date::text as date, equity from portfolio_equity
    where portfolio_id = ${portfolio} and date > ${since}::date order by date`;
}

/** Stops a strategy's paper portfolio from placing orders (rejected or retired strategies trade no more). */
async function stopPortfolio(sql: Sql, portfolio: string | null): Promise<void> {
  if (portfolio) await sql`update portfolios set trading_enabled = false where id = ${portfolio}`;
}

/**
 * Runs the lifecycle for `hour` (its label seeds the proposals) with `date` as the last complete trading
 * day: no backtest or paper evaluation reads a bar after it.
 */
export async function runLifecycleCycle(
  ctx: PipelineContext,
  hour: string,
  date: string,
  runId: number | null = null,
): Promise<CycleOutcome> {
  const { sql } = ctx;
  const config = await loadLifecycleConfig(sql);
  const [universe] = await sql<{ asset_type: AssetType }[]>`
    select asset_type from universes where id = ${config.universe}`;
  const out: CycleOutcome = { proposed: 0, evaluated: 0, promoted: 0, rejected: 0, retired: 0, errors: 0 };

  if (config.discovery_enabled && config.proposals_per_hour > 0 && universe) {
    const tried = await sql<{ strategy_id: string; proposed_hour: Date | null }[]>`
      select strategy_id, proposed_hour from strategy_lifecycle`;
    const other = new Set(
      tried.filter((r) => r.proposed_hour?.toISOString() !== hour).map((r) => r.strategy_id),
    );
    for (const p of propose(hour, config.seed, config.proposals_per_hour, universe.asset_type, (id) =>
      other.has(id),
    )) {
      const saved = await saveStrategy(sql, p.spec);
      const added = await sql.begin(async (t) => {
        const tx = t as unknown as Sql;
        const rows = await tx`
          insert into strategy_lifecycle (strategy_id, strategy_version, phase, origin, builtin, params, proposed_hour, universe)
          values (${saved.id}, ${saved.version}, 'backtest', 'discovery', ${p.builtin}, ${tx.json(p.params)}, ${hour},
            ${config.universe})
          on conflict (strategy_id) do nothing returning strategy_id`;
        if (rows.length > 0)
          await tx`
            insert into strategy_transitions (strategy_id, action, from_phase, to_phase, actor, reason, metrics)
            values (${saved.id}, 'propose', null, 'backtest', 'system',
              ${`proposed by the discovery loop for ${hour}: ${p.spec.description}`},
              ${tx.json({ builtin: p.builtin, params: p.params, seed: config.seed, hour })})`;
        return rows.length;
      });
      out.proposed += added;
    }
  }

  // Backtest and gate every strategy waiting for it, in a fixed order so the trial counts are reproducible.
  const waiting = await sql<LifecycleRow[]>`
    select ${sql.unsafe(LIFECYCLE_COLUMNS)} from strategy_lifecycle
    where phase = 'backtest' and not paused and evaluation is null
    order by proposed_hour nulls first, strategy_id`;
  for (const row of waiting) {
    let e: Awaited<ReturnType<typeof backtestAndGate>>;
    try {
      e = await backtestAndGate(ctx, row, config, date);
    } catch (err) {
      // One strategy that cannot run (a universe without bars in range) must not stop the others.
      ctx.log(`lifecycle ${row.strategy_id}: backtest failed: ${errorMessage(err)}`);
      out.errors++;
      continue;
    }
    await sql`update strategy_lifecycle set evaluation = ${sql.json(e as never)} where strategy_id = ${row.strategy_id}`;
    out.evaluated++;
    const reason = `backtest ${e.from}..${e.to}: ${evaluationReason(e)}`;
    const metrics = { ...e, as_of: date };
    if (e.pass) {
      if (await promoteToPaper(sql, row, config, date, 'system', reason, metrics)) out.promoted++;
    } else if (
      await applyTransition(sql, {
        strategyId: row.strategy_id,
        action: 'reject',
        from: 'backtest',
        to: 'rejected',
        actor: 'system',
        reason,
        metrics,
      })
    )
      out.rejected++;
  }

  // Paper: bring each portfolio to the date, then judge its return against the backtest's band.
  const paper = await sql<LifecycleRow[]>`
    select ${sql.unsafe(LIFECYCLE_COLUMNS)} from strategy_lifecycle
    where phase = 'paper' and not paused and portfolio_id is not null order by phase_at, strategy_id`;
  for (const row of paper) {
    await tradePortfolio(ctx, row.portfolio_id!, date);
    const equity = await equitySince(sql, row.portfolio_id!, row.paper_since!);
    const [p] = await sql<{ starting_cash: number }[]>`
      select starting_cash from portfolios where id = ${row.portfolio_id}`;
    const days = equity.length;
    const ret = days > 0 ? equity[days - 1]!.equity / p!.starting_cash - 1 : 0;
    const [live] = await sql<
      { n: string }[]
    >`select count(*) as n from strategy_lifecycle where phase = 'live'`;
    const slots = config.gates.max_live - Number(live!.n);
    const band = row.evaluation as unknown as BacktestEvaluation;
    const v = paperVerdict(band, days, ret, slots, config.gates);
    if (v.action === 'stay') continue;
    const metrics = { paper_days: days, paper_return: ret, live_slots: slots, as_of: date };
    if (v.action === 'promote') {
      const moved = await applyTransition(sql, {
        strategyId: row.strategy_id,
        action: 'promote',
        from: 'paper',
        to: 'live',
        actor: 'system',
        reason: `${v.reason}; live on the paper broker (real money needs the portfolio's live approval)`,
        metrics,
        set: { live_since: date },
      });
      if (moved) out.promoted++;
    } else if (
      await applyTransition(sql, {
        strategyId: row.strategy_id,
        action: 'reject',
        from: 'paper',
        to: 'rejected',
        actor: 'system',
        reason: v.reason,
        metrics,
      })
    ) {
      await stopPortfolio(sql, row.portfolio_id);
      out.rejected++;
    }
  }

  // Live: keep trading and retire on the live drawdown gate.
  const live = await sql<LifecycleRow[]>`
    select ${sql.unsafe(LIFECYCLE_COLUMNS)} from strategy_lifecycle
    where phase = 'live' and not paused and portfolio_id is not null order by phase_at, strategy_id`;
  for (const row of live) {
    await tradePortfolio(ctx, row.portfolio_id!, date);
    const [start] = await sql<{ equity: number }[]>`
      select equity from portfolio_equity where portfolio_id = ${row.portfolio_id} and date <= ${row.live_since}::date
      order by date desc limit 1`;
    const since = (await equitySince(sql, row.portfolio_id!, row.live_since!)).map((r) => r.equity);
    const v = liveVerdict(start ? [start.equity, ...since] : since, config.gates);
    if (v.action !== 'retire') continue;
    if (
      await applyTransition(sql, {
        strategyId: row.strategy_id,
        action: 'retire',
        from: 'live',
        to: 'retired',
        actor: 'system',
        reason: v.reason,
        metrics: { live_days: since.length, as_of: date },
      })
    ) {
      await stopPortfolio(sql, row.portfolio_id);
      out.retired++;
    }
  }

  await sql`
    insert into lifecycle_cycles (hour, run_id, as_of, universe, proposed, promoted, rejected, summary)
    values (${hour}, ${runId}, ${date}, ${config.universe}, ${out.proposed}, ${out.promoted}, ${out.rejected},
      ${sql.json({ ...out })})
    on conflict (hour) do update set run_id = excluded.run_id, as_of = excluded.as_of, universe = excluded.universe,
      proposed = lifecycle_cycles.proposed + excluded.proposed, promoted = lifecycle_cycles.promoted + excluded.promoted,
      rejected = lifecycle_cycles.rejected + excluded.rejected, summary = excluded.summary, finished_at = now()`;
  return out;
}
