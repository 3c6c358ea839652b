import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { SignalFeed, SignalList } from '../../../../shared/api/contracts/signals.ts';
import { apiGet } from '../client.ts';
import { resourceKeys } from './keys.ts';

const signalsBase = resourceKeys('signals');

/** GET /signals and GET /signals/feed. */
export const signalKeys = {
  ...signalsBase,
  feed: (date: string, universe?: string) => [...signalsBase.all, 'feed', date, universe ?? 'all'] as const,
};

/** Signal facts of a date (default: each market's latest). */
export const signalsListQuery = (filter: { date?: string }) =>
  queryOptions({
    queryKey: signalKeys.list(filter),
    queryFn: ({ signal }) => apiGet<SignalList>('/signals', { ...filter }, { signal }),
  });

/** What changed on a date; `universe` narrows it to one market. */
export const signalFeedQuery = (date: string, universe?: string) =>
  queryOptions({
    queryKey: signalKeys.feed(date, universe),
    queryFn: ({ signal }) => apiGet<SignalFeed>('/signals/feed', { date, universe }, { signal }),
    placeholderData: keepPreviousData,
  });
