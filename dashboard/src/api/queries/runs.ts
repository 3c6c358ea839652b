import { type QueryClient, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  RunDetail,
  RunList,
  RunTrigger,
  RunView,
  TriggerResult,
} from '../../../../shared/api/contracts/runs.ts';
import { LIVE_POLL_MS, runInProgress, runPollInterval } from '../../lib/runs.ts';
import { apiGet, apiPost } from '../client.ts';
import { assetKeys } from './assets.ts';
import { healthKeys } from './health.ts';
import { resourceKeys } from './keys.ts';
import { qualityKeys } from './quality.ts';
import { reviewKeys } from './reviews.ts';
import { signalKeys } from './signals.ts';

/** GET /runs and GET /runs/:id. */
export const runKeys = resourceKeys('runs');

/**
 * Filters of GET /runs: one date, each universe's latest date (`latest`; crypto and equities close on
 * different days), or the newest runs of every date.
 */
export interface RunsFilter {
  date?: string;
  latest?: boolean;
  limit: number;
}

/** The runs the Today page and the run watcher follow: each universe's latest date. */
export const LATEST_RUNS: RunsFilter = { latest: true, limit: 100 };

/** Runs newest first, polled every few seconds while any of them is in progress, slowly otherwise. */
export const runsListQuery = (filter: RunsFilter) =>
  queryOptions({
    queryKey: runKeys.list(filter),
    queryFn: ({ signal }) =>
      apiGet<RunList>(
        '/runs',
        { date: filter.date, latest: filter.latest ? 'true' : undefined, limit: filter.limit },
        { signal },
      ),
    refetchInterval: (query) => runPollInterval(query.state.data?.items),
  });

/** One run with its jobs, polled while it is in progress. */
export const runDetailQuery = (id: number) =>
  queryOptions({
    queryKey: runKeys.detail(id),
    queryFn: ({ signal }) => apiGet<RunDetail>(`/runs/${id}`, undefined, { signal }),
    refetchInterval: (query) => (query.state.data && runInProgress(query.state.data) ? LIVE_POLL_MS : false),
  });

/**
 * After a run write: every runs query, and health (the header shows the latest runs). Their
 * `refetchInterval` then keeps polling while a run is running.
 */
export function invalidateRuns(queryClient: QueryClient): Promise<unknown> {
  return Promise.all(
    [runKeys.all, healthKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}

/** A finished run changes what every data query shows. */
export function invalidateRunOutputs(queryClient: QueryClient): Promise<unknown> {
  return Promise.all(
    [healthKeys.all, assetKeys.all, signalKeys.all, reviewKeys.all, qualityKeys.all].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey }),
    ),
  );
}

/**
 * Starts a stage or the whole pipeline (admin): `{stage: 'pipeline'}` without `asset_type` and
 * `date` starts it for both asset types, each on its latest complete day.
 */
export function useTriggerRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (trigger: RunTrigger) => (await apiPost<TriggerResult>('/runs', trigger)).runs,
    onSettled: () => invalidateRuns(queryClient),
  });
}

/** Re-queues a run's failed jobs (admin). */
export function useRetryRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiPost<RunView>(`/runs/${id}/retry`, {}),
    onSettled: () => invalidateRuns(queryClient),
  });
}
