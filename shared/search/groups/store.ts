// Stored groups: a discovery's ranked groups replace the run's previous ones, and the week's selection
// moves to the chosen one in the same transaction; the weekday run reads the selection back.

import type { Sql } from '../../db/client.ts';
import { weekStart } from '../dataset.ts';
import type { RankedGroup } from './select.ts';

/** One variation of a group: its algorithm and parameter values, as the ledger stored them. */
export interface GroupMember {
  algorithm: string;
  /** The variation's key, `algorithm:name=value,…`. */
  variation: string;
  params: Record<string, number>;
}

/** A stored group with the statistics its selection read. */
export interface StoredGroup {
  runId: number;
  week: string;
  groupKey: string;
  rank: number;
  members: GroupMember[];
  /** Per signal day: the equal-weight mean next-session return of the picks every member shares. */
  daily: number[];
  /** Per signal day: how many tickers every member picked. */
  picks: number[];
  meanReturn: number;
  stdReturn: number;
  /** Per-day Sharpe (null when the daily results are all equal). */
  sharpe: number | null;
  worstDay: number;
  positiveDays: number;
  totalPicks: number;
  score: number;
  /** Lowest mean over the other days when one day is left out. */
  looWorst: number;
  /** Deflated Sharpe counting `trials` trials of the week's ledger. */
  dsr: number | null;
  trials: number;
  /** Why the final selection refused it; null when it passed. */
  rejected: string | null;
  selected: boolean;
}

interface GroupRow {
  run_id: string;
  week: string;
  group_key: string;
  rank: number;
  variations: string[];
  algorithms: string[];
  params: Record<string, number>[];
  daily_returns: number[];
  picks: number[];
  mean_return: number;
  std_return: number;
  sharpe: number | null;
  worst_day: number;
  positive_days: number;
  total_picks: number;
  score: number;
  loo_worst: number;
  dsr: number | null;
  trials: number;
  rejected: string | null;
  selected: boolean;
}

function fromRow(r: GroupRow): StoredGroup {
  return {
    runId: Number(r.run_id),
    week: r.week,
    groupKey: r.group_key,
    rank: r.rank,
    members: r.variations.map((variation, i) => ({
      algorithm: r.algorithms[i]!,
      variation,
      params: r.params[i] ?? {},
    })),
    daily: r.daily_returns,
    picks: r.picks,
    meanReturn: r.mean_return,
    stdReturn: r.std_return,
    sharpe: r.sharpe,
    worstDay: r.worst_day,
    positiveDays: r.positive_days,
    totalPicks: r.total_picks,
    score: r.score,
    looWorst: r.loo_worst,
    dsr: r.dsr,
    trials: r.trials,
    rejected: r.rejected,
    selected: r.selected,
  };
}

/** The group columns with the members' parameters from the ledger, in member order. */
const SELECT_GROUPS = `
  select g.run_id, g.week::text as week, g.group_key, g.rank, g.variations, g.algorithms,
    (select coalesce(jsonb_agg(t.params order by m.i), '[]'::jsonb)
       from unnest(g.variations) with ordinality m(variation, i)
       join search_trials t on t.run_id = g.run_id and t.variation = m.variation) as params,
    g.daily_returns, g.picks, g.mean_return, g.std_return, g.sharpe, g.worst_day, g.positive_days,
    g.total_picks, g.score, g.loo_worst, g.dsr, g.trials, g.rejected, g.selected
  from search_groups g`;

/** The selected group of the week containing `date` (any day of it), or null when none is selected. */
export async function loadSelectedGroup(sql: Sql, date: string): Promise<StoredGroup | null> {
  const [row] = await sql.unsafe<GroupRow[]>(`${SELECT_GROUPS} where g.week = $1 and g.selected`, [
    weekStart(date),
  ]);
  return row ? fromRow(row) : null;
}

/** A run's stored groups, best rank first. */
export async function loadGroups(sql: Sql, runId: number): Promise<StoredGroup[]> {
  const rows = await sql.unsafe<GroupRow[]>(`${SELECT_GROUPS} where g.run_id = $1 order by g.rank`, [runId]);
  return rows.map(fromRow);
}

/** What a discovery records on its search run (search_runs.groups). */
export interface DiscoverySummary {
  options: Record<string, unknown>;
  members: number;
  tasks: number;
  evaluations: number;
  cut: number;
  elapsedMs: number;
  stoppedBy: 'complete' | 'budget';
  workers: number;
  trials: number;
  selected: string | null;
}

/**
 * Replaces a run's groups with `ranked` and, when one is selected, makes it the week's selection (the
 * previous selection of the week is unmarked in the same transaction); records the summary on the run.
 */
export async function saveGroups(
  sql: Sql,
  runId: number,
  week: string,
  ranked: readonly RankedGroup[],
  summary: DiscoverySummary,
): Promise<void> {
  const rows = ranked.map((g) => ({
    run_id: runId,
    week,
    group_key: g.key,
    rank: g.rank,
    variations: g.variations,
    algorithms: g.algorithms,
    daily_returns: g.daily,
    picks: g.picks,
    mean_return: g.meanReturn,
    std_return: g.stdReturn,
    sharpe: Number.isFinite(g.sharpe) ? g.sharpe : null,
    worst_day: g.worstDay,
    positive_days: g.positiveDays,
    total_picks: g.totalPicks,
    score: g.score,
    loo_worst: g.looWorst,
    dsr: Number.isFinite(g.dsr) ? g.dsr : null,
    trials: g.trials,
    rejected: g.rejected,
    selected: g.selected,
  }));
  await sql.begin(async (tx) => {
    await tx`delete from search_groups where run_id = ${runId}`;
    if (rows.some((r) => r.selected))
      await tx`update search_groups set selected = false where week = ${week} and selected`;
    for (let i = 0; i < rows.length; i += 1000)
      await tx`insert into search_groups ${tx(rows.slice(i, i + 1000))}`;
    await tx`update search_runs set groups = ${tx.json(summary as never)} where id = ${runId}`;
  });
}
