import type { Sql } from '../db/client.ts';
import { AppError } from '../errors/index.ts';
import { loadGroups, loadSelectedGroup, type StoredGroup } from '../search/groups/store.ts';
import type {
  SearchGroupList,
  SearchPrunedList,
  SearchRunList,
  SearchRunsQuery,
  SearchSelection,
  SearchSelectionQuery,
  SearchTrialPage,
  SearchTrialsQuery,
  WeekdayQuery,
  WeekdayView,
} from './contracts/search.ts';

// The operations behind control-api's /search routes: thin reads of the search tables (runs, trial
// ledger, pruned variations, groups, the weekday run). Every read is for readers.

type RunView = SearchRunList['items'][number];

interface RunRow {
  id: string;
  week: string;
  seed: number;
  status: RunView['status'];
  cycles_requested: number;
  cycles_done: number;
  trials: number;
  budget_s: number | null;
  stopped_by: string | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  elapsed_s: number;
  best_score: number | null;
  best_variation: string | null;
}

const RUN_SELECT = `
  select r.id, r.week::text as week, r.seed, r.status, r.cycles_requested, r.cycles_done, r.trials, r.budget_s,
    r.stopped_by, r.error, r.started_at, r.finished_at,
    extract(epoch from coalesce(r.finished_at, now()) - r.started_at)::float8 as elapsed_s,
    b.score as best_score, b.variation as best_variation
  from search_runs r
  left join lateral (
    select t.score, t.variation from search_trials t where t.run_id = r.id order by t.score desc, t.seq limit 1
  ) b on true`;

function runView(r: RunRow): RunView {
  const running = r.status === 'running';
  const byCycles = r.cycles_done / r.cycles_requested;
  const byBudget = r.budget_s ? r.elapsed_s / r.budget_s : 0;
  return {
    id: Number(r.id),
    week: r.week,
    seed: r.seed,
    status: r.status,
    cycles_requested: r.cycles_requested,
    cycles_done: r.cycles_done,
    trials: r.trials,
    budget_s: r.budget_s,
    stopped_by: r.stopped_by,
    error: r.error,
    started_at: r.started_at.toISOString(),
    finished_at: r.finished_at?.toISOString() ?? null,
    elapsed_s: r.elapsed_s,
    progress: r.status === 'succeeded' ? 1 : Math.min(1, Math.max(byCycles, byBudget)),
    budget_left_s: running && r.budget_s ? Math.max(0, r.budget_s - r.elapsed_s) : null,
    best_score: r.best_score,
    best_variation: r.best_variation,
  };
}

/** Search runs, newest first, of one week or all. */
export async function searchRuns(sql: Sql, q: SearchRunsQuery): Promise<SearchRunList> {
  const rows = await sql.unsafe<RunRow[]>(
    `${RUN_SELECT} where ($1::date is null or r.week = date_trunc('week', $1::date)::date)
     order by r.started_at desc, r.id desc limit $2`,
    [q.week ?? null, q.limit],
  );
  return { items: rows.map(runView) };
}

/** One search run with its progress, or not_found. */
export async function searchRun(sql: Sql, id: number): Promise<RunView> {
  const [row] = await sql.unsafe<RunRow[]>(`${RUN_SELECT} where r.id = $1`, [id]);
  if (!row) throw new AppError('not_found', `unknown search run ${id}`);
  return runView(row);
}

/** A page of a run's trials, best score (or first evaluated) first. */
export async function searchTrials(sql: Sql, id: number, q: SearchTrialsQuery): Promise<SearchTrialPage> {
  await searchRun(sql, id);
  const algorithm = q.algorithm ?? null;
  const [count] = await sql<{ n: number }[]>`
    select count(*)::int as n from search_trials
    where run_id = ${id} and (${algorithm}::text is null or algorithm = ${algorithm})`;
  const items = await sql<SearchTrialPage['items']>`
    select seq, cycle, algorithm, variation, params, daily_returns, buys, mean_return, std_return, sharpe,
      positive_share, total_buys, score
    from search_trials
    where run_id = ${id} and (${algorithm}::text is null or algorithm = ${algorithm})
    order by ${q.sort === 'score' ? sql`score desc, seq` : sql`seq`}
    limit ${q.limit} offset ${q.offset}`;
  return { run_id: id, total: count?.n ?? 0, limit: q.limit, offset: q.offset, items };
}

/** The variations the pruner kept for a run, by algorithm and rank. */
export async function searchPruned(sql: Sql, id: number): Promise<SearchPrunedList> {
  await searchRun(sql, id);
  const items = await sql<SearchPrunedList['items']>`
    select p.variation, p.algorithm, p.rank, p.prune_score, p.confidence, p.worst_day, p.min_day_buys,
      t.mean_return, t.sharpe, t.total_buys
    from search_pruned p join search_trials t on t.run_id = p.run_id and t.variation = p.variation
    where p.run_id = ${id} order by p.algorithm, p.rank`;
  return { run_id: id, items };
}

function groupView(g: StoredGroup): SearchGroupList['items'][number] {
  return {
    run_id: g.runId,
    week: g.week,
    group_key: g.groupKey,
    rank: g.rank,
    members: g.members,
    daily_returns: g.daily,
    picks: g.picks,
    mean_return: g.meanReturn,
    std_return: g.stdReturn,
    sharpe: g.sharpe,
    worst_day: g.worstDay,
    positive_days: g.positiveDays,
    total_picks: g.totalPicks,
    score: g.score,
    loo_worst: g.looWorst,
    dsr: g.dsr,
    trials: g.trials,
    rejected: g.rejected,
    selected: g.selected,
  };
}

/** A run's groups, best rank first. */
export async function searchGroups(sql: Sql, id: number): Promise<SearchGroupList> {
  await searchRun(sql, id);
  return { run_id: id, items: (await loadGroups(sql, id)).map(groupView) };
}

/** The selected group of a week (default: the latest week with one), or none. */
export async function searchSelection(sql: Sql, q: SearchSelectionQuery): Promise<SearchSelection> {
  const [latest] = await sql<{ week: string | null }[]>`
    select coalesce(date_trunc('week', ${q.week ?? null}::date)::date, max(week))::text as week
    from search_groups where selected`;
  const week = latest?.week ?? null;
  const group = week === null ? null : await loadSelectedGroup(sql, week);
  return { week, group: group ? groupView(group) : null };
}

/** The weekday run of a close (default: the latest stored) with its candidates by sanity rank. */
export async function weekdayView(sql: Sql, q: WeekdayQuery): Promise<WeekdayView> {
  const [run] = await sql<
    {
      date: string;
      status: NonNullable<WeekdayView['status']>;
      reason: string;
      group_week: string | null;
      group_key: string | null;
      universe: number;
      shortlist_size: number;
      top_n: number;
      scorer_version: string | null;
    }[]
  >`
    select as_of_date::text as date, status, reason, group_week::text as group_week, group_key, universe,
      shortlist_size, top_n, scorer_version
    from search_weekday_runs
    where as_of_date = coalesce(${q.date ?? null}::date, (select max(as_of_date) from search_weekday_runs))`;
  if (!run)
    return {
      date: q.date ?? null,
      status: null,
      reason: null,
      group_week: null,
      group_key: null,
      universe: 0,
      shortlist_size: 0,
      top_n: 0,
      scorer_version: null,
      items: [],
    };
  const items = await sql<WeekdayView['items']>`
    select symbol, ret_5, vol_20, sanity_score, sanity_rank, shortlist_rank, news_score, article_count,
      pick_rank, reason
    from search_weekday_candidates where as_of_date = ${run.date} order by sanity_rank`;
  return { ...run, items };
}
