import { queryOptions } from '@tanstack/react-query';
import type { QualityList } from '../../../../shared/api/contracts/quality.ts';
import { apiGet } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /quality. */
export const qualityKeys = resourceKeys('quality');

/** Data-quality ledger entries of a date (default: the latest), for the Today page's alerts. */
export const qualityListQuery = (filter: { date?: string }) =>
  queryOptions({
    queryKey: qualityKeys.list(filter),
    queryFn: ({ signal }) => apiGet<QualityList>('/quality', { ...filter }, { signal }),
  });
