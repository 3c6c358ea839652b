import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { RunDetail, RunTrigger, RunView } from '../../../shared/api/contracts/runs.ts';
import type { ScheduleList, SchedulePatch, ScheduleView } from '../../../shared/api/contracts/schedules.ts';
import { LIVE_POLL_MS, runInProgress, runPollInterval } from '../lib/runs.ts';
import { apiGet, apiPatch, apiPost } from './client.ts';
import type { RunList, TriggerResult } from './types.ts';

// Queries and writes of the Pipeline page: runs with their jobs, retries, triggers and schedules.

/** Filters of the runs list: one date, or the newest runs of every date. */
export interface RunsFilter {
  date?: string;
  limit: number;
}

/** Runs newest first, polled fast while any of them is in progress. */
export const runsListQuery = (filter: RunsFilter) =>
  queryOptions({
    queryKey: ['runs', 'list', filter],
    queryFn: ({ signal }) => apiGet<RunList>('/runs', { date: filter.date, limit: filter.limit }, { signal }),
    refetchInterval: (query) => runPollInterval(query.state.data?.items),
  });

/** One run with its jobs, polled while it is in progress. */
export const runDetailQuery = (id: number) =>
  queryOptions({
    queryKey: ['runs', 'detail', id],
    queryFn: ({ signal }) => apiGet<RunDetail>(`/runs/${id}`, undefined, { signal }),
    refetchInterval: (query) => (query.state.data && runInProgress(query.state.data) ? LIVE_POLL_MS : false),
  });

/** The pipeline_schedules rows. */
export const schedulesQuery = () =>
  queryOptions({
    queryKey: ['schedules'],
    queryFn: ({ signal }) => apiGet<ScheduleList>('/schedules', undefined, { signal }),
  });

/** A run's state shows on the Today page too (health), so both are refetched after a write. */
function useInvalidateRuns() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['runs'] }),
      queryClient.invalidateQueries({ queryKey: ['health'] }),
    ]);
}

/** Re-queues a run's failed jobs (admin). */
export function useRetryRun() {
  const invalidate = useInvalidateRuns();
  return useMutation({
    mutationFn: (id: number) => apiPost<RunView>(`/runs/${id}/retry`, {}),
    onSettled: invalidate,
  });
}

/** Starts a stage or the whole pipeline (admin). */
export function useTriggerRun() {
  const invalidate = useInvalidateRuns();
  return useMutation({
    mutationFn: async (trigger: RunTrigger) => (await apiPost<TriggerResult>('/runs', trigger)).runs,
    onSettled: invalidate,
  });
}

/** Enables, disables or reschedules a schedule (admin). */
export function useUpdateSchedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: SchedulePatch }) =>
      apiPatch<ScheduleView>(`/schedules/${encodeURIComponent(id)}`, patch),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['schedules'] }),
  });
}
