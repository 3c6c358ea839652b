// Runtime configuration: where the control-api is and which public key to send. The same build runs
// against the local stack (which serves `dashboard-config.json`) and against a hosted project
// (static hosting without that file, configured at build time with VITE_ variables).

/** What the dashboard needs to talk to its control-api. */
export interface DashboardConfig {
  /** Base URL of the control-api, absolute or relative to the page, without a trailing slash. */
  apiBase: string;
  /** Sent as `apikey` on every request; empty when none is configured. */
  publishableKey: string;
  /** Supabase project URL; when set, the settings dialog offers sign-in with Supabase Auth. */
  supabaseUrl: string | null;
}

/** Build-time variables (Vite inlines `import.meta.env.VITE_*`). */
export interface BuildEnv {
  VITE_STRATOS_API_BASE?: string | undefined;
  VITE_SUPABASE_URL?: string | undefined;
  VITE_SUPABASE_PUBLISHABLE_KEY?: string | undefined;
}

/** Where the configuration came from, shown in the settings dialog. */
export type ConfigSource = 'file' | 'build';

/** The control-api path on the same origin, as the local gateway and Supabase both serve it. */
export const DEFAULT_API_BASE = '/functions/v1/control-api';

/** The runtime config file, relative to the page so a build under a sub-path finds its own. */
export const CONFIG_URL = './dashboard-config.json';

const trimSlash = (s: string) => s.replace(/\/+$/, '');
const nonEmpty = (s: string | null | undefined): string | null => (s?.trim() ? s.trim() : null);

/** The configuration from build-time variables; with only a Supabase URL, its control-api function. */
export function configFromEnv(env: BuildEnv): DashboardConfig {
  const supabaseUrl = nonEmpty(env.VITE_SUPABASE_URL);
  const apiBase =
    nonEmpty(env.VITE_STRATOS_API_BASE) ??
    (supabaseUrl ? `${trimSlash(supabaseUrl)}${DEFAULT_API_BASE}` : DEFAULT_API_BASE);
  return {
    apiBase: trimSlash(apiBase),
    publishableKey: nonEmpty(env.VITE_SUPABASE_PUBLISHABLE_KEY) ?? '',
    supabaseUrl: supabaseUrl ? trimSlash(supabaseUrl) : null,
  };
}

/** A config file body, or null when it is not one (an HTML fallback page, a wrong shape). */
export function parseConfig(body: unknown): DashboardConfig | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { apiBase, publishableKey, supabaseUrl } = body as Record<string, unknown>;
  if (typeof apiBase !== 'string' || !apiBase.trim()) return null;
  if (typeof publishableKey !== 'string') return null;
  if (supabaseUrl !== null && supabaseUrl !== undefined && typeof supabaseUrl !== 'string') return null;
  return {
    apiBase: trimSlash(apiBase.trim()),
    publishableKey: publishableKey.trim(),
    supabaseUrl: typeof supabaseUrl === 'string' && supabaseUrl.trim() ? trimSlash(supabaseUrl.trim()) : null,
  };
}

/**
 * Fetches the runtime config file and falls back to the build-time variables when it is missing,
 * unreadable or not a config. Static hosts often answer an unknown path with index.html (200,
 * text/html), so the body is parsed and checked rather than trusting the status. A slow answer
 * falls back after `timeoutMs` so the dashboard never hangs on it.
 */
export async function loadConfig(
  env: BuildEnv,
  opts: { url?: string; fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<{ config: DashboardConfig; source: ConfigSource }> {
  const fetchFn = opts.fetch ?? fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 3000);
  try {
    const res = await fetchFn(opts.url ?? CONFIG_URL, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: controller.signal,
    });
    if (res.ok) {
      const config = parseConfig(JSON.parse(await res.text()));
      if (config) return { config, source: 'file' };
    }
  } catch {
    // Unreachable, aborted or not JSON: the build-time configuration applies.
  } finally {
    clearTimeout(timer);
  }
  return { config: configFromEnv(env), source: 'build' };
}
