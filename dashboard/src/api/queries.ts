import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { AssetDetail } from '../../../shared/api/contracts/assets.ts';
import type { Health } from '../../../shared/api/contracts/health.ts';
import type { RunTrigger } from '../../../shared/api/contracts/runs.ts';
import type { AssetType } from '../../../shared/domain/market.ts';
import { chartColumns } from '../lib/chartData.ts';
import { runPollInterval } from '../lib/runs.ts';
import { apiGet, apiPost, type QueryParams } from './client.ts';
import type {
  AssetPage,
  FeatureList,
  QualityList,
  ReviewList,
  RunList,
  SignalList,
  TemplateList,
  TriggerResult,
} from './types.ts';

/** GET /assets parameters (screener/state.ts builds them from the screener's state). */
export type AssetListParams = QueryParams;

/** Health polls fast while a run of the latest date is in progress (the header shows it). */
export const healthQuery = () =>
  queryOptions({
    queryKey: ['health'],
    queryFn: ({ signal }) => apiGet<Health>('/health', undefined, { signal, acceptStatus: [503] }),
    refetchInterval: (query) => runPollInterval(query.state.data?.runs),
  });

/** One page of the asset list; the previous page stays on screen while the next loads. */
export const assetListQuery = (params: AssetListParams) =>
  queryOptions({
    queryKey: ['assets', 'list', params],
    queryFn: ({ signal }) => apiGet<AssetPage>('/assets', params, { signal }),
    placeholderData: keepPreviousData,
  });

/** One asset with the feature series every chart overlay and pane can show. */
export const assetDetailQuery = (assetType: AssetType, symbol: string) =>
  queryOptions({
    queryKey: ['assets', 'detail', assetType, symbol],
    queryFn: ({ signal }) =>
      apiGet<AssetDetail>(
        `/assets/${encodeURIComponent(assetType)}/${encodeURIComponent(symbol)}`,
        { series: chartColumns().join(',') },
        { signal },
      ),
  });

/**
 * Runs of a date, or (no date) of each universe's latest date: crypto and equities close on
 * different days. Polls every few seconds while one is in progress, slowly otherwise.
 */
export const runsQuery = (date?: string) =>
  queryOptions({
    queryKey: ['runs', date ?? 'latest'],
    queryFn: ({ signal }) =>
      apiGet<RunList>('/runs', date ? { date, limit: 100 } : { latest: 'true', limit: 100 }, { signal }),
    refetchInterval: (query) => runPollInterval(query.state.data?.items),
  });

/** Data-quality ledger entries of a date (default: the latest), for the Today page's alerts. */
export const qualityQuery = (date?: string) =>
  queryOptions({
    queryKey: ['quality', date ?? 'latest'],
    queryFn: ({ signal }) => apiGet<QualityList>('/quality', date ? { date } : undefined, { signal }),
  });

/** Reviews of a date (default: each market's latest), by attention score. */
export const reviewsQuery = (date?: string) =>
  queryOptions({
    queryKey: ['reviews', date ?? 'latest'],
    queryFn: ({ signal }) => apiGet<ReviewList>('/reviews', date ? { date } : undefined, { signal }),
  });

/** Signal facts of a date (default: each market's latest). */
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

/** The signal templates (latest versions). */
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
    [['health'], ['assets'], ['signals'], ['reviews'], ['quality']].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey }),
    ),
  );
}
