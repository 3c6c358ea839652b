/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the control-api; defaults to the same-origin Supabase path. */
  readonly VITE_API_BASE?: string;
}
