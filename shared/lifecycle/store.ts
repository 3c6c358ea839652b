// The lifecycle's rows: a strategy's phase and the transitions that moved it. A transition is applied
// only from the phase it names, in one statement with its record, so a rerun (the same hour again, a
// retried job, two admins at once) moves a strategy and records it exactly once.

import type { Sql } from '../db/client.ts';
import { AppError } from '../errors/index.ts';

/** The phases, in the order a strategy moves through them; retired and rejected are final. */
export const PHASES = ['backtest', 'paper', 'live', 'retired', 'rejected'] as const;
export type Phase = (typeof PHASES)[number];

/** What a transition records besides the phases: the action, who, why, and the numbers that justified it. */
export interface TransitionInput {
  strategyId: string;
  action: 'promote' | 'reject' | 'retire' | 'pause' | 'resume';
  from: Phase;
  to: Phase;
  actor: 'system' | 'admin';
  reason: string;
  metrics: Record<string, unknown>;
  /** Columns set with the move (only those the lifecycle owns). */
  set?: { portfolio_id?: string; paper_since?: string; live_since?: string; paused?: boolean };
}

/** A strategy_lifecycle row as the loop reads it. */
export interface LifecycleRow {
  strategy_id: string;
  strategy_version: number;
  phase: Phase;
  paused: boolean;
  origin: 'discovery' | 'admin';
  builtin: string | null;
  universe: string;
  evaluation: Record<string, unknown> | null;
  portfolio_id: string | null;
  paper_since: string | null;
  live_since: string | null;
}

/** Columns of LifecycleRow, dates as text. */
export const LIFECYCLE_COLUMNS = `strategy_id, strategy_version, phase, paused, origin, builtin, universe, evaluation,
  portfolio_id, paper_since::text as paper_since, live_since::text as live_since`;

/** One strategy's lifecycle row, or not_found. */
export async function getLifecycle(sql: Sql, strategyId: string): Promise<LifecycleRow> {
  const [row] = await sql<LifecycleRow[]>`
    select ${sql.unsafe(LIFECYCLE_COLUMNS)} from strategy_lifecycle where strategy_id = ${strategyId}`;
  if (!row) throw new AppError('not_found', `strategy "${strategyId}" is not in the lifecycle`);
  return row;
}

/**
 * Applies a transition if the strategy is still in `from` (and, for pause/resume, not already so) and
 * records it; returns whether it moved. Callers run it inside their transaction when other writes
 * (a portfolio) belong with it.
 */
export async function applyTransition(sql: Sql, t: TransitionInput): Promise<boolean> {
  const s = t.set ?? {};
  const pausedBefore = t.action === 'pause' ? false : t.action === 'resume' ? true : null;
  const moved = await sql`
    update strategy_lifecycle set phase = ${t.to},
      phase_at = case when phase = ${t.to} then phase_at else now() end,
      portfolio_id = coalesce(${s.portfolio_id ?? null}::text, portfolio_id),
      paper_since = coalesce(${s.paper_since ?? null}::date, paper_since),
      live_since = coalesce(${s.live_since ?? null}::date, live_since),
      paused = coalesce(${s.paused ?? null}::boolean, paused)
    where strategy_id = ${t.strategyId} and phase = ${t.from}
      and (${pausedBefore}::boolean is null or paused = ${pausedBefore}::boolean)
    returning strategy_id`;
  if (moved.length === 0) return false;
  await sql`
    insert into strategy_transitions (strategy_id, action, from_phase, to_phase, actor, reason, metrics)
    values (${t.strategyId}, ${t.action}, ${t.from}, ${t.to}, ${t.actor}, ${t.reason},
      ${sql.json(t.metrics as never)})`;
  return true;
}

/**
 * Puts a stored strategy (its latest version) into the lifecycle at the backtest phase; the next cycle
 * evaluates it. A strategy already in the lifecycle is a conflict.
 */
export async function enrolStrategy(
  sql: Sql,
  strategyId: string,
  universe: string,
  reason: string,
): Promise<LifecycleRow> {
  const [s] = await sql<{ version: number }[]>`
    select version from strategies where id = ${strategyId} order by version desc limit 1`;
  if (!s) throw new AppError('not_found', `unknown strategy "${strategyId}"`);
  return sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    const added = await tx`
      insert into strategy_lifecycle (strategy_id, strategy_version, phase, origin, universe)
      values (${strategyId}, ${s.version}, 'backtest', 'admin', ${universe})
      on conflict (strategy_id) do nothing returning strategy_id`;
    if (added.length === 0)
      throw new AppError('conflict', `strategy "${strategyId}" is already in the lifecycle`);
    await tx`
      insert into strategy_transitions (strategy_id, action, from_phase, to_phase, actor, reason, metrics)
      values (${strategyId}, 'enrol', null, 'backtest', 'admin', ${reason},
        ${tx.json({ strategy_version: s.version, universe })})`;
    return getLifecycle(tx, strategyId);
  });
}
