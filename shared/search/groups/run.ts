// A search run's pruning and group discovery against the database: prune the run's ledger, build the
// group space from the kept variations, and store the selection of the discovery's groups. The walk in
// between runs in this thread (runTasks), on a worker pool (scripts/search-workers.ts) or as queue
// jobs (the search stage); all three end here.

import type { Sql } from '../../db/client.ts';
import { AppError } from '../../errors/index.ts';
import { ALGORITHMS, SIGNAL_DAYS } from '../algorithms/index.ts';
import { loadDataset } from '../dataset.ts';
import { evaluateVariation, type PreparedDataset, prepareDataset } from '../evaluate.ts';
import { weekTrialCount } from '../ledger.ts';
import {
  loadPruned,
  loadRunCandidates,
  type PruneOptions,
  type PruneResult,
  prune,
  savePruned,
} from '../prune.ts';
import type { DiscoveryResult } from './budget.ts';
import { buildGroupSpace, GROUP_DEFAULTS, type GroupOptions, type GroupSpace } from './discover.ts';
import { type RankedGroup, SELECTION_DEFAULTS, type SelectionOptions, selectGroups } from './select.ts';
import { type DiscoverySummary, saveGroups } from './store.ts';

/** The week of a search run. */
export async function runWeek(sql: Sql, runId: number): Promise<string> {
  const [run] = await sql<{ week: string }[]>`select week::text as week from search_runs where id = ${runId}`;
  if (!run) throw new AppError('not_found', `no search run ${runId}`, { retryable: false });
  return run.week;
}

/** Prunes a run's ledger on its week's dataset and stores what it kept. */
export async function pruneRun(
  sql: Sql,
  data: PreparedDataset,
  runId: number,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const candidates = await loadRunCandidates(sql, runId);
  const byId = new Map(ALGORITHMS.map((a) => [a.id, a]));
  const result = prune(
    candidates,
    data.tickers.length,
    (c) => {
      const algorithm = byId.get(c.algorithm);
      if (!algorithm) throw new RangeError(`unknown search algorithm "${c.algorithm}"`);
      return evaluateVariation(
        data,
        algorithm,
        algorithm.params.map((p) => c.params[p.name]!),
      ).picks;
    },
    options,
  );
  await savePruned(sql, runId, result);
  return result;
}

/** A run ready for group discovery: its week, dataset and the space of its pruned variations. */
export interface PreparedDiscovery {
  week: string;
  data: PreparedDataset;
  space: GroupSpace;
}

/** Loads a run's week and dataset and builds the space of its pruned variations (pruning first if it was not). */
export async function prepareDiscovery(
  sql: Sql,
  runId: number,
  pruneOptions: PruneOptions = {},
): Promise<PreparedDiscovery> {
  const week = await runWeek(sql, runId);
  const data = prepareDataset(await loadDataset(sql, week));
  let members = await loadPruned(sql, runId);
  const [run] = await sql<
    { pruned: boolean }[]
  >`select prune is not null as pruned from search_runs where id = ${runId}`;
  if (!run?.pruned) {
    await pruneRun(sql, data, runId, pruneOptions);
    members = await loadPruned(sql, runId);
  }
  return { week, data, space: buildGroupSpace(data, members) };
}

/** Selects among a discovery's groups (trials counted from the week's ledger) and stores them. */
export async function finishDiscovery(
  sql: Sql,
  runId: number,
  week: string,
  keys: readonly string[],
  result: DiscoveryResult,
  settings: { groups: GroupOptions; selection: SelectionOptions; workers: number },
): Promise<RankedGroup[]> {
  const count = await weekTrialCount(sql, week);
  const ranked = selectGroups(result.groups, keys, count, settings.selection);
  const selected = ranked.find((g) => g.selected) ?? null;
  const summary: DiscoverySummary = {
    options: {
      ...GROUP_DEFAULTS,
      ...settings.groups,
      ...SELECTION_DEFAULTS,
      ...settings.selection,
      days: SIGNAL_DAYS,
    },
    members: keys.length,
    tasks: result.tasks,
    evaluations: result.evaluations,
    cut: result.cut,
    elapsedMs: Math.round(result.elapsedMs),
    stoppedBy: result.stoppedBy,
    workers: settings.workers,
    trials: count.trials,
    selected: selected?.key ?? null,
  };
  await saveGroups(sql, runId, week, ranked, summary);
  return ranked;
}
