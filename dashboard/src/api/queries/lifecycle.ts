import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  LifecycleBoard,
  LifecycleCard,
  LifecycleConfigView,
} from '../../../../shared/api/contracts/lifecycle.ts';
import type { LifecycleConfigPatch } from '../../../../shared/lifecycle/config.ts';
import { LIVE_POLL_MS } from '../../lib/runs.ts';
import { apiGet, apiPatch, apiPost } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /lifecycle/board and everything under /lifecycle. */
export const lifecycleKeys = resourceKeys('lifecycle');

/** The Strategies board; polled every few seconds locally (Realtime pushes changes on Supabase). */
export const lifecycleBoardQuery = () =>
  queryOptions({
    queryKey: lifecycleKeys.lists(),
    queryFn: ({ signal }) => apiGet<LifecycleBoard>('/lifecycle/board', undefined, { signal }),
    refetchInterval: LIVE_POLL_MS,
  });

/** Promote, reject, pause or resume a strategy with a reason; refetches the board. */
export function useLifecycleAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: string; action: 'promote' | 'reject' | 'pause' | 'resume'; reason: string }) =>
      apiPost<LifecycleCard>(`/lifecycle/strategies/${encodeURIComponent(a.id)}/actions`, {
        action: a.action,
        reason: a.reason,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lifecycleKeys.all }),
  });
}

/** Start/stop discovery, set its rate and the gates; refetches the board. */
export function useLifecycleConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: LifecycleConfigPatch) => apiPatch<LifecycleConfigView>('/lifecycle/config', patch),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lifecycleKeys.all }),
  });
}

/** Queue this hour's discovery cycle now; the board polls its results in. */
export function useRunCycle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiPost<{ run_id: number; hour: string }>('/lifecycle/cycles', {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lifecycleKeys.all }),
  });
}
