// An admin's lifecycle actions: promote, reject, pause and resume a strategy, each with a reason, each
// stored as a transition with the numbers the strategy showed at that moment.

import type { Sql } from '../db/client.ts';
import { AppError } from '../errors/index.ts';
import { loadLifecycleConfig } from './config.ts';
import { promoteToPaper } from './cycle.ts';
import { applyTransition, getLifecycle, type LifecycleRow, type Phase } from './store.ts';

/** What an admin may do to a strategy in the lifecycle. */
export type AdminAction = 'promote' | 'reject' | 'pause' | 'resume';

/** The next phase up: backtest → paper → live; live and the final phases have none. */
const NEXT: Partial<Record<Phase, Phase>> = { backtest: 'paper', paper: 'live' };

/** What the admin saw when acting: the gate's evaluation and the portfolio, kept with the transition. */
function seen(row: LifecycleRow): Record<string, unknown> {
  return { evaluation: row.evaluation, portfolio: row.portfolio_id, paused: row.paused };
}

/**
 * Applies an admin's action to a strategy with `reason` and returns its row after. A promotion to paper
 * creates its paper portfolio (starting on `date`) and needs the cycle's backtest (the paper band comes
 * from it); one to live needs a free live slot; rejecting a live
 * strategy retires it. An action the phase does not allow is a conflict, naming the phase.
 */
export async function adminAction(
  sql: Sql,
  strategyId: string,
  action: AdminAction,
  reason: string,
  by: string,
  date: string,
): Promise<LifecycleRow> {
  const row = await getLifecycle(sql, strategyId);
  const config = await loadLifecycleConfig(sql);
  const because = `${by}: ${reason}`;
  const refuse = (why: string) => new AppError('conflict', `cannot ${action} "${strategyId}": ${why}`);
  let moved: boolean;
  if (action === 'promote') {
    const to = NEXT[row.phase];
    if (!to) throw refuse(`it is ${row.phase}`);
    // Paper is judged against the band its backtest expects: without a backtest there is no band.
    if (to === 'paper' && !row.evaluation) throw refuse('it has no backtest yet (the next cycle runs it)');
    if (to === 'paper') moved = await promoteToPaper(sql, row, config, date, 'admin', because, seen(row));
    else {
      const [live] = await sql<
        { n: string }[]
      >`select count(*) as n from strategy_lifecycle where phase = 'live'`;
      if (Number(live!.n) >= config.gates.max_live)
        throw refuse(`${live!.n} strategies are live, the maximum is ${config.gates.max_live}`);
      moved = await applyTransition(sql, {
        strategyId,
        action,
        from: row.phase,
        to,
        actor: 'admin',
        reason: because,
        metrics: seen(row),
        set: { live_since: date },
      });
    }
  } else if (action === 'reject') {
    if (row.phase === 'retired' || row.phase === 'rejected') throw refuse(`it is already ${row.phase}`);
    const to: Phase = row.phase === 'live' ? 'retired' : 'rejected';
    moved = await sql.begin(async (t) => {
      const tx = t as unknown as Sql;
      const done = await applyTransition(tx, {
        strategyId,
        action: to === 'retired' ? 'retire' : 'reject',
        from: row.phase,
        to,
        actor: 'admin',
        reason: because,
        metrics: seen(row),
      });
      if (done && row.portfolio_id)
        await tx`update portfolios set trading_enabled = false where id = ${row.portfolio_id}`;
      return done;
    });
  } else {
    const pause = action === 'pause';
    if (row.paused === pause) throw refuse(`it is ${pause ? 'already paused' : 'not paused'}`);
    if (row.phase === 'retired' || row.phase === 'rejected') throw refuse(`it is ${row.phase}`);
    moved = await sql.begin(async (t) => {
      const tx = t as unknown as Sql;
      const done = await applyTransition(tx, {
        strategyId,
        action,
        from: row.phase,
        to: row.phase,
        actor: 'admin',
        reason: because,
        metrics: seen(row),
        set: { paused: pause },
      });
      // A paused strategy's portfolio stops placing orders; resuming lets it trade again.
      if (done && row.portfolio_id)
        await tx`update portfolios set trading_enabled = ${!pause} where id = ${row.portfolio_id}`;
      return done;
    });
  }
  if (!moved) throw refuse('it changed meanwhile; reload and try again');
  return getLifecycle(sql, strategyId);
}
