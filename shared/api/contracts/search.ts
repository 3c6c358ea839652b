// /search/...: the weekly strategy search's runs with their progress, the trial ledger (paged), the
// pruner's kept variations, the groups, the week's selection, and the weekday run's candidates.
import { z } from 'zod';
import { IsoDate } from '../../domain/market.ts';
import { ALGORITHMS } from '../../search/algorithms/index.ts';

/** Path of /search/runs/:id... */
export const SearchRunPath = z
  .object({
    id: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 53 - 1),
  })
  .strict();
export type SearchRunPath = z.infer<typeof SearchRunPath>;

/** Query of GET /search/runs: one week's runs (default all), newest first. */
export const SearchRunsQuery = z
  .object({
    week: IsoDate.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type SearchRunsQuery = z.infer<typeof SearchRunsQuery>;

const Num = z.number().nullable();

/** A search run with its progress: cycles done of those asked, trials, best score, elapsed and budget left. */
export const SearchRunView = z.object({
  id: z.number(),
  week: z.string(),
  seed: z.number(),
  status: z.enum(['running', 'succeeded', 'failed']),
  cycles_requested: z.number(),
  cycles_done: z.number(),
  trials: z.number(),
  budget_s: Num,
  stopped_by: z.string().nullable(),
  error: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  /** Seconds from start to finish (to now while running). */
  elapsed_s: z.number(),
  /** Share of the run done: cycles over cycles asked, or elapsed over the budget when that is further. */
  progress: z.number(),
  /** Budget seconds left while running; null without a budget or once finished. */
  budget_left_s: Num,
  best_score: Num,
  best_variation: z.string().nullable(),
});
export const SearchRunList = z.object({ items: z.array(SearchRunView) });
export type SearchRunList = z.infer<typeof SearchRunList>;

/** Query of GET /search/runs/:id/trials: one algorithm (default all), by score or order of evaluation, paged. */
export const SearchTrialsQuery = z
  .object({
    algorithm: z.enum(ALGORITHMS.map((a) => a.id) as [string, ...string[]]).optional(),
    sort: z.enum(['score', 'seq']).default('score'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type SearchTrialsQuery = z.infer<typeof SearchTrialsQuery>;

const TrialView = z.object({
  seq: z.number(),
  cycle: z.number(),
  algorithm: z.string(),
  variation: z.string(),
  params: z.record(z.string(), z.number()),
  daily_returns: z.array(z.number()),
  buys: z.array(z.number()),
  mean_return: z.number(),
  std_return: z.number(),
  sharpe: Num,
  positive_share: z.number(),
  total_buys: z.number(),
  score: z.number(),
});
export const SearchTrialPage = z.object({
  run_id: z.number(),
  /** Trials matching the filter, over all pages. */
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  items: z.array(TrialView),
});
export type SearchTrialPage = z.infer<typeof SearchTrialPage>;

/** The pruner's kept variations of a run, by algorithm and rank. */
export const SearchPrunedList = z.object({
  run_id: z.number(),
  items: z.array(
    z.object({
      variation: z.string(),
      algorithm: z.string(),
      rank: z.number(),
      prune_score: z.number(),
      confidence: z.number(),
      worst_day: z.number(),
      min_day_buys: z.number(),
      mean_return: z.number(),
      sharpe: Num,
      total_buys: z.number(),
    }),
  ),
});
export type SearchPrunedList = z.infer<typeof SearchPrunedList>;

/** A group of variations with the statistics of the intersection of their picks. */
export const SearchGroupView = z.object({
  run_id: z.number(),
  week: z.string(),
  group_key: z.string(),
  rank: z.number(),
  members: z.array(
    z.object({ algorithm: z.string(), variation: z.string(), params: z.record(z.string(), z.number()) }),
  ),
  daily_returns: z.array(z.number()),
  picks: z.array(z.number()),
  mean_return: z.number(),
  std_return: z.number(),
  sharpe: Num,
  worst_day: z.number(),
  positive_days: z.number(),
  total_picks: z.number(),
  score: z.number(),
  loo_worst: z.number(),
  dsr: Num,
  trials: z.number(),
  rejected: z.string().nullable(),
  selected: z.boolean(),
});
export const SearchGroupList = z.object({ run_id: z.number(), items: z.array(SearchGroupView) });
export type SearchGroupList = z.infer<typeof SearchGroupList>;

/** Query of GET /search/selection: the week containing `week` (default: the latest week with a selection). */
export const SearchSelectionQuery = z.object({ week: IsoDate.optional() }).strict();
export type SearchSelectionQuery = z.infer<typeof SearchSelectionQuery>;
export const SearchSelection = z.object({ week: z.string().nullable(), group: SearchGroupView.nullable() });
export type SearchSelection = z.infer<typeof SearchSelection>;

/** Query of GET /search/weekday: the weekday run of one close (default: the latest stored). */
export const WeekdayQuery = z.object({ date: IsoDate.optional() }).strict();
export type WeekdayQuery = z.infer<typeof WeekdayQuery>;

const WeekdayCandidateView = z.object({
  symbol: z.string(),
  ret_5: z.number(),
  vol_20: Num,
  sanity_score: Num,
  sanity_rank: z.number(),
  shortlist_rank: Num,
  news_score: Num,
  article_count: z.number(),
  pick_rank: Num,
  reason: z.string(),
});

/** A close's weekday run: the group traded, the candidates by sanity rank (shortlist and picks marked). */
export const WeekdayView = z.object({
  date: z.string().nullable(),
  status: z.enum(['picked', 'no_group', 'no_candidates']).nullable(),
  reason: z.string().nullable(),
  group_week: z.string().nullable(),
  group_key: z.string().nullable(),
  universe: z.number(),
  shortlist_size: z.number(),
  top_n: z.number(),
  scorer_version: z.string().nullable(),
  items: z.array(WeekdayCandidateView),
});
export type WeekdayView = z.infer<typeof WeekdayView>;
