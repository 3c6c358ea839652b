import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** The local stack's credentials (shared/auth): generated once, then kept in `.env`. */
export const LOCAL_CREDENTIALS = {
  STRATOS_SECRET_KEY: 'stratos_secret_',
  STRATOS_PUBLISHABLE_KEY: 'stratos_publishable_',
  STRATOS_ADMIN_TOKEN: 'stratos_admin_',
} as const;

/**
 * Fills in any missing local credential with a random one, appends it to `envFile` (so the next start,
 * the CLI and the user's browser keep the same values) and sets it in `env`. Returns the names written.
 */
export function ensureLocalCredentials(envFile: string, env: NodeJS.ProcessEnv): string[] {
  const written: string[] = [];
  const existing = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  let lines = '';
  for (const [name, prefix] of Object.entries(LOCAL_CREDENTIALS)) {
    if (env[name]) continue;
    const value = `${prefix}${randomBytes(24).toString('base64url')}`;
    env[name] = value;
    lines += `${name}=${value}\n`;
    written.push(name);
  }
  if (lines) {
    const header = existing === '' || existing.endsWith('\n') ? '' : '\n';
    appendFileSync(
      envFile,
      `${header}# Written by \`npm start\`: local credentials (see .env.example).\n${lines}`,
      {
        mode: 0o600,
      },
    );
  }
  return written;
}
