import type { Session, SupabaseClient } from '@supabase/supabase-js';

// Supabase Auth is only needed when a project is configured, so supabase-js is imported on demand
// and stays out of the main chunk.

let client: Promise<SupabaseClient> | null = null;
let clientKey = '';

/** The Supabase client for `url`, created once (the module is loaded on first use). */
export function supabaseClient(url: string, publishableKey: string): Promise<SupabaseClient> {
  const key = `${url}|${publishableKey}`;
  if (!client || clientKey !== key) {
    clientKey = key;
    client = import('@supabase/supabase-js').then(({ createClient }) =>
      createClient(url, publishableKey, { auth: { persistSession: true, autoRefreshToken: true } }),
    );
  }
  return client;
}

/** What the dashboard shows about a signed-in user. */
export interface SignedInUser {
  email: string | null;
  /** `app_metadata.role`: `admin` may write. */
  role: string | null;
  accessToken: string;
}

/** The user of a session, or null when signed out. */
export function userOf(session: Session | null): SignedInUser | null {
  if (!session) return null;
  const role = session.user.app_metadata?.role;
  return {
    email: session.user.email ?? null,
    role: typeof role === 'string' ? role : null,
    accessToken: session.access_token,
  };
}
