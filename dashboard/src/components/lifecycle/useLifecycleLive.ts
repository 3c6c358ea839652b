import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { lifecycleKeys } from '../../api/queries/lifecycle.ts';
import { useAuth } from '../../auth/AuthProvider.tsx';
import { supabaseClient } from '../../auth/supabase.ts';
import { throttle } from '../../lib/throttle.ts';

/**
 * With a Supabase project, follows the lifecycle's tables through Realtime (strategy_lifecycle and
 * strategy_transitions are in the publication) and refetches the board on each change; locally the
 * board's query polls instead.
 */
export function useLifecycleLive(): void {
  const queryClient = useQueryClient();
  const { supabaseUrl, publishableKey } = useAuth().config;
  useEffect(() => {
    if (!supabaseUrl) return;
    const refetch = throttle(() => void queryClient.invalidateQueries({ queryKey: lifecycleKeys.all }), 1000);
    let stop = () => {};
    let cancelled = false;
    void supabaseClient(supabaseUrl, publishableKey).then((client) => {
      if (cancelled) return;
      const channel = client
        .channel('stratos-lifecycle')
        .on('postgres_changes', { event: '*', schema: 'public', table: 'strategy_lifecycle' }, refetch)
        .on('postgres_changes', { event: '*', schema: 'public', table: 'strategy_transitions' }, refetch)
        .subscribe();
      stop = () => void client.removeChannel(channel);
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [supabaseUrl, publishableKey, queryClient]);
}
