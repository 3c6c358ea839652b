import { z } from 'zod';

/** A group-discovery run's params: the search run whose pruned variations it combines, and its budget. */
export const SearchParams = z.object({
  search_run_id: z.number().int().positive(),
  /** Global time budget from the run's start, in seconds (none: walk the whole tree). */
  budget_s: z.number().positive().optional(),
  /** Jobs the tree is split into (default 4). */
  parts: z.number().int().min(1).max(256).default(4),
});
export type SearchParams = z.infer<typeof SearchParams>;

/** One job: every `parts`-th task of the discovery from task `part` on. */
export const SearchJob = z.object({
  part: z.number().int().min(0),
  parts: z.number().int().min(1),
});
export type SearchJob = z.infer<typeof SearchJob>;
