import type { Env } from '../config.ts';
import { AppError } from '../errors/index.ts';

/** The keys and token verifiers the HTTP functions accept; built once from the environment. */
export interface AuthSettings {
  /** Secret keys: the service role, what pg_cron and the stage functions use. */
  secretKeys: string[];
  /** Publishable (anon) keys: public, for readers such as the dashboard. */
  publishableKeys: string[];
  /** Static admin tokens (local stack; production admins sign in as Supabase users). */
  adminTokens: string[];
  /** HS256 secret of Supabase's legacy JWTs, or null. */
  jwtSecret: string | null;
  /** Where Supabase publishes the keys of its asymmetric JWTs, or null. */
  jwksUrl: string | null;
}

/** Values of a Supabase keys variable: a JSON object of named keys (`{"default": "sb_secret_…"}`) or one key. */
function keyList(raw: string | undefined, name: string): string[] {
  const value = raw?.trim();
  if (!value) return [];
  if (!value.startsWith('{')) return [value];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new AppError('invalid_input', `${name} is neither a key nor a JSON object of keys`);
  }
  return Object.values(parsed as Record<string, unknown>).filter(
    (k): k is string => typeof k === 'string' && k !== '',
  );
}

/**
 * Reads the accepted credentials: Stratos' own variables (written to `.env` by `npm start`) and the
 * ones Supabase sets in every Edge Function (SUPABASE_SERVICE_ROLE_KEY, SUPABASE_ANON_KEY and the
 * newer SUPABASE_SECRET_KEYS / SUPABASE_PUBLISHABLE_KEYS).
 */
export function authFromEnv(env: Env): AuthSettings {
  const supabaseUrl = env.SUPABASE_URL?.replace(/\/+$/, '');
  return {
    secretKeys: [
      ...keyList(env.STRATOS_SECRET_KEY, 'STRATOS_SECRET_KEY'),
      ...keyList(env.SUPABASE_SERVICE_ROLE_KEY, 'SUPABASE_SERVICE_ROLE_KEY'),
      ...keyList(env.SUPABASE_SECRET_KEYS, 'SUPABASE_SECRET_KEYS'),
    ],
    publishableKeys: [
      ...keyList(env.STRATOS_PUBLISHABLE_KEY, 'STRATOS_PUBLISHABLE_KEY'),
      ...keyList(env.SUPABASE_ANON_KEY, 'SUPABASE_ANON_KEY'),
      ...keyList(env.SUPABASE_PUBLISHABLE_KEYS, 'SUPABASE_PUBLISHABLE_KEYS'),
    ],
    adminTokens: keyList(env.STRATOS_ADMIN_TOKEN, 'STRATOS_ADMIN_TOKEN'),
    // Hosted projects refuse function secrets named SUPABASE_*, hence the STRATOS_ alias there.
    jwtSecret: env.SUPABASE_JWT_SECRET || env.STRATOS_JWT_SECRET || null,
    jwksUrl: supabaseUrl ? `${supabaseUrl}/auth/v1/.well-known/jwks.json` : null,
  };
}
