import { queryOptions } from '@tanstack/react-query';
import type { FeatureList } from '../../../../shared/api/contracts/features.ts';
import { apiGet } from '../client.ts';
import { resourceKeys } from './keys.ts';

/** GET /features. */
export const featureKeys = resourceKeys('features');

/** The feature dictionary; it only changes with a deploy. */
export const featuresQuery = () =>
  queryOptions({
    queryKey: featureKeys.all,
    queryFn: ({ signal }) => apiGet<FeatureList>('/features', undefined, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
