// The trial ledger: every search run and every variation it evaluated, written cycle by cycle so a
// run cut short keeps what it tried, and read back to count the trials a deflated Sharpe must deflate by.

import type { Sql } from '../db/client.ts';
import type { StopReason, Trial, TrialCount } from './optimize.ts';

/** Starts a run over a stored week; returns its id. */
export async function startRun(
  sql: Sql,
  run: { week: string; seed: number; cycles: number; budgetS?: number },
): Promise<number> {
  const [row] = await sql<{ id: string }[]>`
    insert into search_runs (week, seed, cycles_requested, budget_s)
    values (${run.week}, ${run.seed}, ${run.cycles}, ${run.budgetS ?? null}) returning id`;
  return Number(row!.id);
}

/** Appends one cycle's trials and the run's progress; a trial already stored for the run is kept as it was. */
export async function recordCycle(
  sql: Sql,
  runId: number,
  cycle: number,
  trials: readonly Trial[],
): Promise<void> {
  const rows = trials.map((t) => ({
    run_id: runId,
    seq: t.seq,
    cycle: t.cycle,
    algorithm: t.algorithm,
    variation: t.key,
    params: t.params,
    daily_returns: t.daily,
    buys: t.buys,
    mean_return: t.stats.meanReturn,
    std_return: t.stats.stdReturn,
    sharpe: Number.isFinite(t.stats.sharpe) ? t.stats.sharpe : null,
    positive_share: t.stats.positiveShare,
    total_buys: t.stats.totalBuys,
    score: t.stats.score,
  }));
  await sql.begin(async (tx) => {
    if (rows.length > 0)
      await tx`
        insert into search_trials ${tx(rows)}
        on conflict do nothing`;
    await tx`
      update search_runs set cycles_done = ${cycle},
        trials = (select count(*) from search_trials where run_id = ${runId})
      where id = ${runId}`;
  });
}

/** Closes a run as succeeded (with why it stopped) or failed (with the error). */
export async function finishRun(
  sql: Sql,
  runId: number,
  outcome: { stoppedBy: StopReason } | { error: string },
): Promise<void> {
  await sql`
    update search_runs set finished_at = now(),
      status = ${'error' in outcome ? 'failed' : 'succeeded'},
      stopped_by = ${'stoppedBy' in outcome ? outcome.stoppedBy : null},
      error = ${'error' in outcome ? outcome.error : null}
    where id = ${runId}`;
}

/**
 * Trials of a week in the ledger: distinct variations over every run of the week (a variation tried
 * twice is one trial), and the variance of their per-day Sharpe ratios.
 */
export async function weekTrialCount(sql: Sql, week: string): Promise<TrialCount> {
  const [row] = await sql<{ trials: string; variance: number | null }[]>`
    select count(*) as trials, var_samp(sharpe) as variance
    from (
      select distinct on (t.variation) t.sharpe
      from search_trials t join search_runs r on r.id = t.run_id
      where r.week = ${week}
      order by t.variation, t.run_id
    ) v`;
  return { trials: Number(row?.trials ?? 0), sharpeVariance: row?.variance ?? Number.NaN };
}
