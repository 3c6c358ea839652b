import { tradingDays } from '../../shared/calendar/index.ts';
import type { Sql } from '../../shared/db/client.ts';
import { buildDataset, loadDataset } from '../../shared/search/dataset.ts';
import { prepareDataset } from '../../shared/search/evaluate.ts';
import { finishRun, recordCycle, startRun } from '../../shared/search/ledger.ts';
import { runSearch } from '../../shared/search/optimize.ts';
import { seedBars } from './seed.ts';

/** 40 random-walk equities from March to November 2026. */
export const WEEKDAY_SYMBOLS = Array.from(
  { length: 40 },
  (_, i) => `W${String.fromCharCode(65 + (i % 26))}${i < 26 ? '' : 'X'}`,
);

/** A loose two-variation group: RSI 14 below 55 and a 3-day change of at least −2%. */
export const WEEKDAY_GROUP = [
  {
    algorithm: 'rsi_oversold',
    variation: 'rsi_oversold:period=14,below=55',
    params: { period: 14, below: 55 },
  },
  {
    algorithm: 'roc_momentum',
    variation: 'roc_momentum:period=3,min_pct=-2',
    params: { period: 3, min_pct: -2 },
  },
];

/**
 * Stores the bars, the week of 2026-11-16's snapshot, a real search run of `cycles` cycles over it, the
 * group's two variations as trials of that run, and the group selected for the week; returns the run id.
 */
export async function seedWeekdaySearch(sql: Sql, cycles: number): Promise<number> {
  await seedBars(sql, WEEKDAY_SYMBOLS, tradingDays('equity', '2026-03-02', '2026-11-27'));
  await buildDataset(sql, '2026-11-16', { size: 40 });
  const runId = await startRun(sql, { week: '2026-11-16', seed: 3, cycles });
  const data = prepareDataset(await loadDataset(sql, '2026-11-16'));
  const result = await runSearch(data, {
    seed: 3,
    cycles,
    onCycle: (r) => recordCycle(sql, runId, r.cycle, r.trials),
  });
  await finishRun(sql, runId, { stoppedBy: result.stoppedBy });
  await sql`insert into search_trials ${sql(
    WEEKDAY_GROUP.map((g, i) => ({
      run_id: runId,
      seq: 100_001 + i,
      cycle: 1,
      algorithm: g.algorithm,
      variation: g.variation,
      params: sql.json(g.params),
      daily_returns: [0.01, 0, 0.02, -0.01, 0.01],
      buys: [3, 3, 3, 3, 3],
      mean_return: 0.006,
      std_return: 0.011,
      sharpe: 0.5,
      positive_share: 0.6,
      total_buys: 15,
      score: 0.003,
    })),
  )} on conflict (run_id, variation) do nothing`;
  await sql`
    insert into search_pruned (run_id, variation, algorithm, rank, prune_score, confidence, worst_day, min_day_buys)
    select ${runId}, variation, algorithm, 1, 0.01, 0.8, -0.01, 3 from search_trials
    where run_id = ${runId} and variation = any(${WEEKDAY_GROUP.map((g) => g.variation)})`;
  await sql`
    insert into search_groups (run_id, week, group_key, rank, variations, algorithms, daily_returns, picks,
      mean_return, std_return, sharpe, worst_day, positive_days, total_picks, score, loo_worst, dsr, trials, selected)
    values (${runId}, '2026-11-16', ${WEEKDAY_GROUP.map((g) => g.variation).join(' & ')}, 1,
      ${WEEKDAY_GROUP.map((g) => g.variation)}, ${WEEKDAY_GROUP.map((g) => g.algorithm)},
      ${[0.01, 0, 0.02, -0.01, 0.01]}, ${[2, 2, 2, 2, 2]}, 0.006, 0.011, 0.5, -0.01, 3, 10, 0.003, 0.0025, 0.7,
      ${cycles * 80 + 2}, true)`;
  return runId;
}
