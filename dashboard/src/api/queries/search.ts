import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type {
  SearchGroupList,
  SearchPrunedList,
  SearchRunList,
  SearchSelection,
  SearchTrialPage,
  WeekdayView,
} from '../../../../shared/api/contracts/search.ts';
import { IDLE_POLL_MS, LIVE_POLL_MS } from '../../lib/runs.ts';
import { apiGet } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /search/runs, /search/runs/:id/... and the week's selection. */
export const searchKeys = resourceKeys('search');
/** GET /search/weekday. */
export const weekdayKeys = resourceKeys('search-weekday');

/** Search runs newest first, polled every few seconds while one is running. */
export const searchRunsQuery = () =>
  queryOptions({
    queryKey: searchKeys.list({}),
    queryFn: ({ signal }) => apiGet<SearchRunList>('/search/runs', { limit: 20 }, { signal }),
    refetchInterval: (query) =>
      query.state.data?.items.some((r) => r.status === 'running') ? LIVE_POLL_MS : IDLE_POLL_MS,
  });

/** The filter of a run's trial page. */
export interface TrialFilter {
  algorithm?: string;
  sort: 'score' | 'seq';
  offset: number;
}

/** Trial ledger rows per page. */
export const TRIAL_PAGE = 25;

/** A page of one run's trials, polled while the run is running. */
export const searchTrialsQuery = (run: number, filter: TrialFilter, running: boolean) =>
  queryOptions({
    queryKey: searchKeys.detail([run, 'trials', filter]),
    queryFn: ({ signal }) =>
      apiGet<SearchTrialPage>(`/search/runs/${run}/trials`, { ...filter, limit: TRIAL_PAGE }, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: running ? LIVE_POLL_MS : false,
  });

/** The variations the pruner kept for one run. */
export const searchPrunedQuery = (run: number) =>
  queryOptions({
    queryKey: searchKeys.detail([run, 'pruned']),
    queryFn: ({ signal }) => apiGet<SearchPrunedList>(`/search/runs/${run}/pruned`, undefined, { signal }),
  });

/** The groups found for one run. */
export const searchGroupsQuery = (run: number) =>
  queryOptions({
    queryKey: searchKeys.detail([run, 'groups']),
    queryFn: ({ signal }) => apiGet<SearchGroupList>(`/search/runs/${run}/groups`, undefined, { signal }),
  });

/** The latest week's selected group. */
export const searchSelectionQuery = () =>
  queryOptions({
    queryKey: searchKeys.detail('selection'),
    queryFn: ({ signal }) => apiGet<SearchSelection>('/search/selection', undefined, { signal }),
  });

/** The latest close's weekday run. */
export const weekdayQuery = () =>
  queryOptions({
    queryKey: weekdayKeys.detail('latest'),
    queryFn: ({ signal }) => apiGet<WeekdayView>('/search/weekday', undefined, { signal }),
    refetchInterval: IDLE_POLL_MS,
  });
