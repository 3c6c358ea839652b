/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the control-api when no dashboard-config.json is served; default: same-origin Supabase path. */
  readonly VITE_STRATOS_API_BASE?: string;
  /** Supabase project URL: enables sign-in, and the control-api defaults to its functions. */
  readonly VITE_SUPABASE_URL?: string;
  /** Publishable (anon) key sent as `apikey`. */
  readonly VITE_SUPABASE_PUBLISHABLE_KEY?: string;
}
