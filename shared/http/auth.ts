import type { MiddlewareHandler } from 'hono';
import { allows, type Role, resolveRole } from '../auth/role.ts';
import type { AuthSettings } from '../auth/settings.ts';
import { AppError } from '../errors/index.ts';

/**
 * Refuses a request whose credentials do not grant `needed`: 401 when it has none that are valid,
 * 403 when they are valid but too weak. The resolved role is kept as `c.get('role')`.
 */
export function requireRole(
  auth: AuthSettings,
  needed: Role,
): MiddlewareHandler<{ Variables: { role: Role } }> {
  return async (c, next) => {
    const role = await resolveRole(auth, c.req.raw.headers);
    if (role === null) throw new AppError('unauthorized', 'missing or invalid credentials');
    if (!allows(role, needed)) throw new AppError('forbidden', `this needs the ${needed} role`);
    c.set('role', role);
    await next();
  };
}
