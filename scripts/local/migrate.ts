import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { syncBuiltinTemplates } from '../../shared/signals/store.ts';
import { syncBuiltinStrategies } from '../../shared/strategy/store.ts';
import { ROOT } from './database.ts';
import { runCommand } from './run-command.ts';

/**
 * Brings a database to the current schema: the Supabase bootstrap (roles, auth helpers; a no-op on
 * Supabase), then `supabase db push`, which records history in supabase_migrations.schema_migrations,
 * then the built-in signal templates and strategies. Returns the CLI's output. `includeAll` also applies
 * migrations named before the last applied one (a kept bench database that saw a later branch's).
 */
export async function migrate(url: string, opts: { includeAll?: boolean } = {}): Promise<string> {
  const sql = postgres(url, { onnotice: () => {}, max: 1 });
  try {
    await sql.unsafe(readFileSync(join(ROOT, 'scripts/local/bootstrap.sql'), 'utf8'));
    const out = await runCommand(
      join(ROOT, 'node_modules/.bin/supabase'),
      ['db', 'push', '--db-url', url, '--yes', ...(opts.includeAll ? ['--include-all'] : [])],
      {
        cwd: ROOT,
      },
    );
    await syncBuiltinTemplates(sql);
    await syncBuiltinStrategies(sql);
    return out;
  } finally {
    await sql.end();
  }
}
