import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as contract from '../../../../shared/api/contracts/backtests.ts';
import { IDLE_POLL_MS, LIVE_POLL_MS } from '../../lib/runs.ts';
import { apiGet, apiPost } from '../client.ts';
import { resourceKeys } from './keys.ts';
import { runKeys } from './runs.ts';

type BacktestView = z.infer<typeof contract.BacktestView>;
type BacktestList = z.infer<typeof contract.BacktestList>;
type BacktestDetail = z.infer<typeof contract.BacktestDetail>;
type BacktestStarted = z.infer<typeof contract.BacktestStarted>;
type BacktestComparison = z.infer<typeof contract.BacktestComparison>;
/** What POST /backtests takes: `cash` has a server-side default. */
type BacktestRequest = z.input<typeof contract.BacktestRequest>;

const backtestsBase = resourceKeys('backtests');

/** GET /backtests, GET /backtests/:id and GET /backtests/compare. */
export const backtestKeys = {
  ...backtestsBase,
  compare: (a: number, b: number) => [...backtestsBase.all, 'compare', a, b] as const,
};

/** Whether a backtest still has work: queued or running in the job queue. */
export function backtestInProgress(b: Pick<BacktestView, 'status'>): boolean {
  return b.status === 'queued' || b.status === 'running';
}

/** Filters of GET /backtests. */
export interface BacktestsFilter {
  strategy?: string;
  limit: number;
}

/** Backtests newest first, polled every few seconds while one of them is queued or running. */
export const backtestsListQuery = (filter: BacktestsFilter) =>
  queryOptions({
    queryKey: backtestKeys.list(filter),
    queryFn: ({ signal }) => apiGet<BacktestList>('/backtests', { ...filter }, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some(backtestInProgress) ? LIVE_POLL_MS : IDLE_POLL_MS,
  });

/** One backtest with its metrics, equity curve and trades, polled until it has finished. */
export const backtestDetailQuery = (id: number) =>
  queryOptions({
    queryKey: backtestKeys.detail(id),
    queryFn: ({ signal }) => apiGet<BacktestDetail>(`/backtests/${id}`, undefined, { signal }),
    refetchInterval: (query) =>
      query.state.data && backtestInProgress(query.state.data) ? LIVE_POLL_MS : false,
  });

/** Two backtests' metrics side by side and b's minus a's. */
export const backtestCompareQuery = (a: number, b: number) =>
  queryOptions({
    queryKey: backtestKeys.compare(a, b),
    queryFn: ({ signal }) => apiGet<BacktestComparison>('/backtests/compare', { a, b }, { signal }),
  });

/**
 * Starts a backtest (admin). The same strategy version, parameters, universe, range, cash and data
 * give back the existing backtest (`created: false`).
 */
export function useStartBacktest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: BacktestRequest) => apiPost<BacktestStarted>('/backtests', request),
    onSettled: () =>
      Promise.all(
        [backtestKeys.all, runKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
  });
}
