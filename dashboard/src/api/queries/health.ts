import { queryOptions } from '@tanstack/react-query';
import type { Health } from '../../../../shared/api/contracts/health.ts';
import { runPollInterval } from '../../lib/runs.ts';
import { apiGet } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /health. */
export const healthKeys = resourceKeys('health');

/** Health polls fast while a run of the latest date is in progress (the header shows it). */
export const healthQuery = () =>
  queryOptions({
    queryKey: healthKeys.all,
    queryFn: ({ signal }) => apiGet<Health>('/health', undefined, { signal, acceptStatus: [503] }),
    refetchInterval: (query) => runPollInterval(query.state.data?.runs),
  });
