import { supabaseClient } from '../auth/supabase.ts';

/**
 * Follows inserts and updates of runs and jobs through Supabase Realtime (the tables are in the
 * `supabase_realtime` publication; readers may select them under RLS) and calls `onChange` for each.
 * supabase-js is loaded on first use. Returns how to stop.
 */
export function followRunsLive(url: string, publishableKey: string, onChange: () => void): () => void {
  let stop = () => {};
  let cancelled = false;
  void supabaseClient(url, publishableKey).then((client) => {
    if (cancelled) return;
    const channel = client
      .channel('stratos-runs')
      .on('postgres_changes', { event: '*', schema: 'public', table: 'pipeline_runs' }, onChange)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'pipeline_jobs' }, onChange)
      .subscribe();
    stop = () => void client.removeChannel(channel);
  });
  return () => {
    cancelled = true;
    stop();
  };
}
