import { decode, verify, verifyWithJwks } from 'hono/jwt';
import type { HonoJsonWebKey } from 'hono/utils/jwt/jws';
import type { JWTPayload } from 'hono/utils/jwt/types';
import type { AuthSettings } from './settings.ts';

/** Who a request is, weakest first: readers read, admins also write, the service runs stages. */
export const ROLES = ['reader', 'admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` may do what `needed` may. */
export function allows(role: Role | null, needed: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Compares without an early exit, so response times do not reveal how much of a key matched. */
function sameKey(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const oneOf = (value: string | null, keys: string[]) => value !== null && keys.some((k) => sameKey(value, k));

/** How long fetched signing keys are trusted before they are fetched again (Supabase rotates rarely). */
const JWKS_TTL_MS = 10 * 60_000;
const jwksCache = new Map<string, { at: number; keys: Promise<HonoJsonWebKey[]> }>();

/**
 * The project's signing keys, fetched at most once per JWKS_TTL_MS (hono's `jwks_uri` option would
 * fetch them on every request). A failed fetch is not cached, so the next request tries again.
 */
function signingKeys(url: string, refresh: boolean): Promise<HonoJsonWebKey[]> {
  const hit = jwksCache.get(url);
  const age = hit ? Date.now() - hit.at : Number.POSITIVE_INFINITY;
  // A refresh (unknown key id) is honoured at most every 30 s, so forged key ids cannot make every
  // request fetch.
  if (hit && age < (refresh ? 30_000 : JWKS_TTL_MS)) return hit.keys;
  const keys = fetch(url).then(async (res) => {
    if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`);
    const body = (await res.json()) as { keys?: unknown };
    if (!Array.isArray(body.keys)) throw new Error(`JWKS ${url} has no keys`);
    return body.keys as HonoJsonWebKey[];
  });
  jwksCache.set(url, { at: Date.now(), keys });
  keys.catch(() => jwksCache.delete(url));
  return keys;
}

/** A Supabase user's verified claims, or null when the token is not a valid JWT for this project. */
async function verifiedClaims(token: string, auth: AuthSettings): Promise<JWTPayload | null> {
  try {
    const { alg, kid } = decode(token).header;
    if (alg === 'HS256') return auth.jwtSecret ? await verify(token, auth.jwtSecret, 'HS256') : null;
    if (!auth.jwksUrl) return null;
    let keys = await signingKeys(auth.jwksUrl, false);
    // A key id we have not seen yet may be a freshly rotated key: fetch once more before refusing.
    if (!keys.some((k) => k.kid === kid)) keys = await signingKeys(auth.jwksUrl, true);
    return await verifyWithJwks(token, { keys, allowedAlgorithms: ['ES256', 'RS256'] });
  } catch {
    return null;
  }
}

/** A signed-in user is an admin when Supabase's server-set app_metadata says so (users cannot edit it). */
function isAdminClaim(claims: JWTPayload): boolean {
  const meta = claims.app_metadata as { role?: unknown } | undefined;
  return meta?.role === 'admin';
}

/**
 * The role the request's credentials grant (`apikey` header and/or `Authorization: Bearer`), the
 * strongest one wins; null when it carries none that are valid.
 */
export async function resolveRole(auth: AuthSettings, headers: Headers): Promise<Role | null> {
  const apikey = headers.get('apikey');
  const bearer = headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  if (oneOf(apikey, auth.secretKeys) || oneOf(bearer, auth.secretKeys)) return 'service';
  if (oneOf(bearer, auth.adminTokens)) return 'admin';
  if (bearer && bearer.split('.').length === 3 && !oneOf(bearer, auth.publishableKeys)) {
    const claims = await verifiedClaims(bearer, auth);
    // A legacy service_role key is itself a JWT signed with the project secret.
    if (claims?.role === 'service_role') return 'service';
    if (claims) return isAdminClaim(claims) ? 'admin' : 'reader';
  }
  if (oneOf(apikey, auth.publishableKeys) || oneOf(bearer, auth.publishableKeys)) return 'reader';
  return null;
}
