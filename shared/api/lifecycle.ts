// The operations behind control-api's /lifecycle routes and `stratos lifecycle`: the board, a strategy's
// history, admin actions, the configuration and a cycle on demand.

import type { z } from 'zod';
import type { Sql } from '../db/client.ts';
import { AppError } from '../errors/index.ts';
import { type AdminAction, adminAction } from '../lifecycle/actions.ts';
import {
  type LifecycleConfigPatch,
  loadLifecycleConfig,
  updateLifecycleConfig,
} from '../lifecycle/config.ts';
import { startLifecycleCycle } from '../lifecycle/start.ts';
import { enrolStrategy, PHASES, type Phase } from '../lifecycle/store.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import type {
  LifecycleBoard,
  LifecycleCard,
  LifecycleConfigView,
  LifecycleCycleStarted,
  LifecycleDetail,
  LifecycleTransition,
  LifecycleTransitionList,
} from './contracts/lifecycle.ts';

type Out<S extends z.ZodType> = z.input<S>;
type Card = Out<typeof LifecycleCard>;

interface CardRow {
  strategy_id: string;
  name: string;
  description: string;
  phase: Phase;
  paused: boolean;
  origin: 'discovery' | 'admin';
  builtin: string | null;
  params: Record<string, number> | null;
  phase_at: Date;
  evaluation: Record<string, number | null> | null;
  portfolio_id: string | null;
  paper_since: string | null;
  live_since: string | null;
  paper_days: number | null;
  pnl: number | null;
  return_pct: number | null;
  last_reason: string | null;
}

/** Cards of the strategies matching `where` (a fixed SQL fragment), most recently moved first. */
async function cards(sql: Sql, filter: { phases?: Phase[]; id?: string }): Promise<Card[]> {
  const rows = await sql<CardRow[]>`
    select l.strategy_id, s.name, s.description, l.phase, l.paused, l.origin, l.builtin, l.params, l.phase_at,
      l.evaluation, l.portfolio_id, l.paper_since::text as paper_since, l.live_since::text as live_since,
      e.days as paper_days, e.equity - p.starting_cash as pnl, e.equity / p.starting_cash - 1 as return_pct,
      (select t.reason from strategy_transitions t where t.strategy_id = l.strategy_id order by t.id desc limit 1)
        as last_reason
    from strategy_lifecycle l
    join strategies s on s.id = l.strategy_id and s.version = l.strategy_version
    left join portfolios p on p.id = l.portfolio_id
    left join lateral (
      select count(*) filter (where q.date > l.paper_since)::int as days,
        (array_agg(q.equity order by q.date desc))[1] as equity
      from portfolio_equity q where q.portfolio_id = l.portfolio_id
    ) e on l.portfolio_id is not null
    where (${filter.phases ?? null}::text[] is null or l.phase = any(${filter.phases ?? null}::text[]))
      and (${filter.id ?? null}::text is null or l.strategy_id = ${filter.id ?? null}::text)
    order by l.phase_at desc, l.strategy_id`;
  return rows.map((r) => {
    const e = r.evaluation ?? {};
    const num = (k: string) => (typeof e[k] === 'number' ? (e[k] as number) : null);
    return {
      strategy_id: r.strategy_id,
      name: r.name,
      description: r.description,
      phase: r.phase,
      paused: r.paused,
      origin: r.origin,
      builtin: r.builtin,
      params: r.params,
      phase_at: r.phase_at.toISOString(),
      sharpe: num('sharpe'),
      dsr: num('dsr'),
      total_return: num('total_return'),
      max_drawdown: num('max_drawdown'),
      trades: num('trades'),
      trials: num('trials'),
      portfolio_id: r.portfolio_id,
      paper_since: r.paper_since,
      live_since: r.live_since,
      paper_days: r.portfolio_id ? (r.paper_days ?? 0) : null,
      pnl: r.pnl,
      return_pct: r.return_pct,
      last_reason: r.last_reason,
    };
  });
}

/** The board: header numbers, the backtest, paper and live columns, the configuration and the schedule. */
export async function lifecycleBoard(ctx: PipelineContext): Promise<Out<typeof LifecycleBoard>> {
  const { sql } = ctx;
  const [h] = await sql<
    {
      tested_today: number;
      gated: number;
      passed: number;
      left_paper: number;
      went_live: number;
      live_pnl: number;
    }[]
  >`
    select
      count(*) filter (where from_phase = 'backtest' and action in ('promote', 'reject')
        and at >= date_trunc('day', now() at time zone 'utc') at time zone 'utc')::int as tested_today,
      count(*) filter (where from_phase = 'backtest' and action in ('promote', 'reject'))::int as gated,
      count(*) filter (where from_phase = 'backtest' and action = 'promote')::int as passed,
      count(*) filter (where from_phase = 'paper' and action in ('promote', 'reject'))::int as left_paper,
      count(*) filter (where from_phase = 'paper' and action = 'promote')::int as went_live,
      coalesce((
        select sum(q.equity - p.starting_cash) from strategy_lifecycle l
        join portfolios p on p.id = l.portfolio_id
        join lateral (select equity from portfolio_equity where portfolio_id = p.id order by date desc limit 1) q on true
        where l.phase = 'live'
      ), 0)::float8 as live_pnl
    from strategy_transitions`;
  const counted = await sql<{ phase: Phase; n: number }[]>`
    select phase, count(*)::int as n from strategy_lifecycle group by phase`;
  const counts = Object.fromEntries(
    PHASES.map((p) => [p, counted.find((c) => c.phase === p)?.n ?? 0]),
  ) as Record<Phase, number>;
  const board = await cards(sql, { phases: ['backtest', 'paper', 'live'] });
  const [schedule] = await sql<{ enabled: boolean; cron: string; last_run_at: Date | null }[]>`
    select enabled, cron, last_run_at from pipeline_schedules where id = 'lifecycle'`;
  return {
    header: {
      tested_today: h!.tested_today,
      success_rate: h!.gated > 0 ? h!.passed / h!.gated : null,
      graduation_rate: h!.left_paper > 0 ? h!.went_live / h!.left_paper : null,
      live_pnl: h!.live_pnl,
      counts,
    },
    columns: {
      backtest: board.filter((c) => c.phase === 'backtest'),
      paper: board.filter((c) => c.phase === 'paper'),
      live: board.filter((c) => c.phase === 'live'),
    },
    config: await loadLifecycleConfig(sql),
    schedule: schedule
      ? {
          enabled: schedule.enabled,
          cron: schedule.cron,
          last_run_at: schedule.last_run_at?.toISOString() ?? null,
        }
      : null,
  };
}

type TransitionRow = Omit<Out<typeof LifecycleTransition>, 'at' | 'id'> & { id: string; at: Date };

const transitionView = (r: TransitionRow): Out<typeof LifecycleTransition> => ({
  ...r,
  id: Number(r.id),
  at: r.at.toISOString(),
});

/** The latest transitions, newest first, optionally only those into `phase`. */
export async function lifecycleTransitions(
  ctx: PipelineContext,
  query: { limit: number; phase?: Phase | undefined },
): Promise<Out<typeof LifecycleTransitionList>> {
  const rows = await ctx.sql<TransitionRow[]>`
    select id, strategy_id, action, from_phase, to_phase, actor, reason, metrics, at from strategy_transitions
    where ${query.phase ?? null}::text is null or to_phase = ${query.phase ?? null}::text
    order by id desc limit ${query.limit}`;
  return { items: rows.map(transitionView) };
}

/** One strategy's card and its whole history; not in the lifecycle is not_found. */
export async function lifecycleDetail(
  ctx: PipelineContext,
  id: string,
): Promise<Out<typeof LifecycleDetail>> {
  const [card] = await cards(ctx.sql, { id });
  if (!card) throw new AppError('not_found', `strategy "${id}" is not in the lifecycle`);
  const rows = await ctx.sql<TransitionRow[]>`
    select id, strategy_id, action, from_phase, to_phase, actor, reason, metrics, at from strategy_transitions
    where strategy_id = ${id} order by id`;
  return { card, transitions: rows.map(transitionView) };
}

/** The market day an admin's action is dated (a paper portfolio it creates starts on it). */
async function actionDate(ctx: PipelineContext): Promise<string> {
  const [row] = await ctx.sql<{ date: string | null }[]>`
    select max(b.date)::text as date from daily_bars b
    join assets a on a.id = b.asset_id
    join universes u on u.id = (select universe from lifecycle_config) and a.asset_type = u.asset_type`;
  if (!row?.date) throw new AppError('conflict', "the lifecycle's universe has no bars yet");
  return row.date;
}

/** Applies an admin's action with its reason; the card after. */
export async function lifecycleAct(
  ctx: PipelineContext,
  id: string,
  action: AdminAction,
  reason: string,
  by: string,
): Promise<Card> {
  await adminAction(ctx.sql, id, action, reason, by, await actionDate(ctx));
  return (await lifecycleDetail(ctx, id)).card;
}

/** Enrols a stored strategy at the backtest phase over the configured universe; its card. */
export async function lifecycleEnrol(ctx: PipelineContext, strategy: string, reason: string, by: string) {
  const config = await loadLifecycleConfig(ctx.sql);
  await enrolStrategy(ctx.sql, strategy, config.universe, `${by}: ${reason}`);
  return (await lifecycleDetail(ctx, strategy)).card;
}

/** The configuration (gates with their defaults filled). */
export function lifecycleConfig(ctx: PipelineContext): Promise<Out<typeof LifecycleConfigView>> {
  return loadLifecycleConfig(ctx.sql);
}

/** Changes the configuration: discovery on/off, its rate, universe, look-back, seed and gates. */
export function lifecycleConfigure(
  ctx: PipelineContext,
  patch: LifecycleConfigPatch,
  by: string,
): Promise<Out<typeof LifecycleConfigView>> {
  return updateLifecycleConfig(ctx.sql, patch, by);
}

/** Queues this hour's cycle now (as the schedule would); its run and hour. */
export async function lifecycleRunCycle(
  ctx: PipelineContext,
  date: string | undefined,
): Promise<Out<typeof LifecycleCycleStarted>> {
  const started = await startLifecycleCycle(ctx, date ? { date } : {});
  return { run_id: started.run.id, hour: started.hour, date: started.run.run_date, created: started.created };
}
