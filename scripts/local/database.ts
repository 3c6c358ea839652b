import { existsSync, readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from './embedded.ts';

/** Repository root, from this file's location. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** Local state (embedded database, built assets); never committed. */
export const STATE_DIR = join(ROOT, '.stratos');
const DATA_DIR = join(STATE_DIR, 'pg');
const DATABASE = 'stratos';

/** A database to use and how to let go of it. */
export interface DatabaseHandle {
  url: string;
  /** Where the URL came from, for the start-up log. */
  origin: 'DATABASE_URL' | 'embedded (started)' | 'embedded (already running)';
  release: () => Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * The database the CLI and the local stack use: `DATABASE_URL` when set; otherwise the embedded
 * PostgreSQL in `.stratos/pg`, reusing a server another Stratos process already runs.
 */
export async function openDatabase(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, origin: 'DATABASE_URL', release: async () => {} };
  const port = Number(env.STRATOS_PG_PORT ?? 54322);
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/${DATABASE}`;
  const pidFile = join(DATA_DIR, 'postmaster.pid');
  if (existsSync(pidFile) && (await portOpen(port))) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0) return { url, origin: 'embedded (already running)', release: async () => {} };
  }
  log(`starting embedded PostgreSQL (data in ${DATA_DIR}, port ${port})`);
  const server = await startEmbeddedPostgres({ dataDir: DATA_DIR, port });
  const admin = (await import('postgres')).default(server.url('postgres'), { onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
  if (!exists) await admin.unsafe(`create database ${DATABASE}`);
  await admin.end();
  return { url, origin: 'embedded (started)', release: () => server.stop() };
}
