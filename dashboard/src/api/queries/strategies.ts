import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type * as contract from '../../../../shared/api/contracts/strategies.ts';
import { apiGet, apiPost } from '../client.ts';
import { resourceKeys } from './keys.ts';

type StrategyList = z.infer<typeof contract.StrategyList>;
/** A strategy with every stored version, newest first. */
export type StrategyDetail = z.infer<typeof contract.StrategyDetail>;
type StrategySaved = z.infer<typeof contract.StrategySaved>;
type StrategyValidation = z.infer<typeof contract.StrategyValidation>;

/** GET /strategies and GET /strategies/:id. */
export const strategyKeys = resourceKeys('strategies');

/** The strategies (latest versions). */
export const strategiesQuery = () =>
  queryOptions({
    queryKey: strategyKeys.lists(),
    queryFn: ({ signal }) => apiGet<StrategyList>('/strategies', undefined, { signal }),
    staleTime: 5 * 60_000,
  });

/** One strategy with every stored version, newest first. */
export const strategyDetailQuery = (id: string) =>
  queryOptions({
    queryKey: strategyKeys.detail(id),
    queryFn: ({ signal }) =>
      apiGet<StrategyDetail>(`/strategies/${encodeURIComponent(id)}`, undefined, { signal }),
  });

/** Server-side validation of a draft spec: the issues by field path and the name it would get. */
export function validateStrategy(spec: unknown): Promise<StrategyValidation> {
  return apiPost<StrategyValidation>('/strategies/validate', spec);
}

/** Stores a spec as a new strategy or a new version of its id (admin); an unchanged spec stores nothing. */
export function useSaveStrategy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (spec: unknown) => apiPost<StrategySaved>('/strategies', spec),
    onSettled: () => queryClient.invalidateQueries({ queryKey: strategyKeys.all }),
  });
}
