import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createContext } from '../../shared/config.ts';
import { connect } from '../../shared/db/client.ts';
import { drain } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import { type DatabaseHandle, openDatabase, ROOT } from './database.ts';
import { migrate } from './migrate.ts';

/** An open database with a pipeline context on it, for one CLI command or the local stack. */
export interface Session {
  ctx: PipelineContext;
  db: DatabaseHandle;
  close: () => Promise<void>;
}

async function pendingMigrations(ctx: PipelineContext): Promise<string[]> {
  const files = readdirSync(join(ROOT, 'supabase/migrations'))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.split('_')[0]!);
  const [table] = await ctx.sql`select to_regclass('supabase_migrations.schema_migrations') as t`;
  if (!table?.t) return files;
  const applied = new Set(
    (await ctx.sql<{ version: string }[]>`select version from supabase_migrations.schema_migrations`).map(
      (r) => r.version,
    ),
  );
  return files.filter((v) => !applied.has(v));
}

/** Opens the database (embedded unless DATABASE_URL is set), migrating it when migrations are pending. */
export async function openSession(opts: {
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<Session> {
  const env = opts.env ?? process.env;
  const db = await openDatabase(env, opts.log);
  const sql = connect(db.url, { max: 8 });
  const ctx = createContext({ ...env, DATABASE_URL: db.url }, { sql, log: opts.log });
  try {
    const pending = await pendingMigrations(ctx);
    if (pending.length > 0) {
      opts.log(`applying ${pending.length} migration(s) with supabase db push`);
      await migrate(db.url);
    }
  } catch (err) {
    await sql.end();
    await db.release();
    throw err;
  }
  return {
    ctx,
    db,
    close: async () => {
      await sql.end();
      await db.release();
    },
  };
}

/**
 * Drains the queue in this process until no job is queued or held by a live lease, with
 * `concurrency` workers claiming side by side (SKIP LOCKED keeps them apart) so that Postgres and
 * the computation overlap; `shouldStop` ends it after the jobs in hand. Returns the number of jobs processed.
 */
export async function drainUntilIdle(
  ctx: PipelineContext,
  workerId = `cli-${process.pid}`,
  concurrency = 2,
  shouldStop: () => boolean = () => false,
): Promise<number> {
  const worker = async (id: string) => {
    let total = 0;
    while (!shouldStop()) {
      const { processed } = await drain(ctx, { workerId: id, budgetMs: 10_000, shouldStop });
      total += processed;
      if (processed > 0) continue;
      const [busy] = await ctx.sql`
        select 1 from pipeline_jobs where status = 'queued' or (status = 'running' and locked_until > now()) limit 1`;
      if (!busy) return total;
      await new Promise((r) => setTimeout(r, 200));
    }
    return total;
  };
  const counts = await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(`${workerId}-${i}`)));
  return counts.reduce((a, b) => a + b, 0);
}
