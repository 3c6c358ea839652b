import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { invalidateRunOutputs, runsQuery } from '../api/queries.ts';
import { anyInProgress } from './runs.ts';

/**
 * Watches the latest runs (the query polls fast while one is in progress) and, when the last one
 * finishes, refetches what runs produce: every page then shows the new data without a reload.
 * Returns whether a run is in progress.
 */
export function useRunWatcher(): boolean {
  const queryClient = useQueryClient();
  const runs = useQuery(runsQuery());
  const inProgress = anyInProgress(runs.data?.items);
  const was = useRef(false);
  useEffect(() => {
    if (was.current && !inProgress) void invalidateRunOutputs(queryClient);
    was.current = inProgress;
  }, [inProgress, queryClient]);
  return inProgress;
}
