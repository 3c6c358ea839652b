import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AssetDetail,
  AssetList,
  AssetListQuery,
  Health,
  RunTrigger,
  RunView,
} from '../../../shared/api/schemas.ts';
import type { AssetType } from '../../../shared/domain/market.ts';
import { apiGet, apiPost } from './client.ts';
import type { FeatureList, ReviewList, RunList, SignalList, TemplateList, TriggerResult } from './types.ts';

/** Poll interval while any run is still running. */
const RUN_POLL_MS = 2000;

const anyRunning = (runs: RunView[] | undefined): boolean =>
  runs?.some((r) => r.status === 'running') ?? false;

export type AssetListParams = Partial<AssetListQuery>;

export const healthQuery = () =>
  queryOptions({
    queryKey: ['health'],
    queryFn: ({ signal }) => apiGet<Health>('/health', undefined, { signal, acceptStatus: [503] }),
    refetchInterval: (query) => (anyRunning(query.state.data?.runs) ? RUN_POLL_MS : 30_000),
  });

export const assetListQuery = (params: AssetListParams) =>
  queryOptions({
    queryKey: ['assets', 'list', params],
    queryFn: ({ signal }) => apiGet<AssetList>('/assets', params, { signal }),
    placeholderData: keepPreviousData,
  });

export const assetDetailQuery = (assetType: AssetType, symbol: string) =>
  queryOptions({
    queryKey: ['assets', 'detail', assetType, symbol],
    queryFn: ({ signal }) =>
      apiGet<AssetDetail>(
        `/assets/${encodeURIComponent(assetType)}/${encodeURIComponent(symbol)}`,
        undefined,
        { signal },
      ),
  });

/** Runs of a date, or (no date) of each universe's latest date: crypto and equities close on different days. */
export const runsQuery = (date?: string) =>
  queryOptions({
    queryKey: ['runs', date ?? 'latest'],
    queryFn: ({ signal }) =>
      apiGet<RunList>('/runs', date ? { date, limit: 100 } : { latest: 'true', limit: 100 }, { signal }),
    refetchInterval: (query) => (anyRunning(query.state.data?.items) ? RUN_POLL_MS : false),
  });

export const reviewsQuery = (date?: string) =>
  queryOptions({
    queryKey: ['reviews', date ?? 'latest'],
    queryFn: ({ signal }) => apiGet<ReviewList>('/reviews', date ? { date } : undefined, { signal }),
  });

export const signalsQuery = (date?: string) =>
  queryOptions({
    queryKey: ['signals', date ?? 'latest'],
    queryFn: ({ signal }) => apiGet<SignalList>('/signals', date ? { date } : undefined, { signal }),
  });

/** The dictionary only changes with a deploy. */
export const featuresQuery = () =>
  queryOptions({
    queryKey: ['features'],
    queryFn: ({ signal }) => apiGet<FeatureList>('/features', undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const templatesQuery = () =>
  queryOptions({
    queryKey: ['templates'],
    queryFn: ({ signal }) => apiGet<TemplateList>('/templates', undefined, { signal }),
    staleTime: 5 * 60_000,
  });

/**
 * Start the whole pipeline: without `asset_type` and `date` the API starts it for both asset types,
 * each on its latest complete day.
 * Invalidating ['runs'] and ['health'] refetches them, and their `refetchInterval` keeps polling
 * while a run is running.
 */
export function useTriggerPipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const result = await apiPost<TriggerResult>('/runs', { stage: 'pipeline' } satisfies RunTrigger);
      return result.runs;
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['runs'] }),
        queryClient.invalidateQueries({ queryKey: ['health'] }),
      ]),
  });
}

/** A finished run changes what every data query shows. */
export function invalidateRunOutputs(queryClient: ReturnType<typeof useQueryClient>): Promise<unknown> {
  return Promise.all(
    [['health'], ['assets'], ['signals'], ['reviews']].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey }),
    ),
  );
}
