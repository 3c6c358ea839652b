import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { invalidateRunOutputs, LATEST_RUNS, runKeys, runsListQuery } from '../api/queries/runs.ts';
import { useAuth } from '../auth/AuthProvider.tsx';
import { followRunsLive } from './realtime.ts';
import { anyInProgress } from './runs.ts';
import { throttle } from './throttle.ts';

/**
 * Watches the latest runs (Supabase Realtime when configured; the query also polls, fast while one is
 * in progress) and, when the last one
 * finishes, refetches what runs produce: every page then shows the new data without a reload.
 * Returns whether a run is in progress.
 */
export function useRunWatcher(): boolean {
  const queryClient = useQueryClient();
  const { supabaseUrl, publishableKey } = useAuth().config;
  // With a Supabase project, Realtime pushes run and job changes at once (a busy run changes jobs
  // many times a second, so refetches are throttled); the polling stays as the fallback.
  useEffect(() => {
    if (!supabaseUrl) return;
    const refetch = throttle(() => void queryClient.invalidateQueries({ queryKey: runKeys.all }), 1000);
    return followRunsLive(supabaseUrl, publishableKey, refetch);
  }, [supabaseUrl, publishableKey, queryClient]);
  const runs = useQuery(runsListQuery(LATEST_RUNS));
  const inProgress = anyInProgress(runs.data?.items);
  const was = useRef(false);
  useEffect(() => {
    if (was.current && !inProgress) void invalidateRunOutputs(queryClient);
    was.current = inProgress;
  }, [inProgress, queryClient]);
  return inProgress;
}
