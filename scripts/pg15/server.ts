import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { ROOT } from '../local/database.ts';
import { freePort } from '../local/embedded.ts';
import { migrate } from '../local/migrate.ts';
import { runCommand } from '../local/run-command.ts';

/**
 * A throwaway PostgreSQL 15 server with pg_cron preloaded, from Debian's packages (installed by
 * scripts/ci/install-system-deps.sh), migrated exactly as production is: the Supabase bootstrap and
 * `supabase db push` (scripts/local/migrate.ts), plus test-only stand-ins for pg_net and Vault
 * (scripts/pg15/supabase-standins.sql), which Debian does not package.
 */
export interface Pg15Server {
  /** The migrated database, also pg_cron's cron.database_name. */
  database: string;
  url: (database?: string) => string;
  /** Runs a SQL file with psql against the migrated database; resolves with its output and exit code. */
  psql: (file: string) => Promise<{ code: number; output: string }>;
  stop: () => Promise<void>;
}

const BIN = process.env.STRATOS_PG15_BIN ?? '/usr/lib/postgresql/15/bin';
const SHARE = process.env.STRATOS_PG15_SHARE ?? '/usr/share/postgresql/15';
const LIB = process.env.STRATOS_PG15_LIB ?? '/usr/lib/postgresql/15/lib';
const DATABASE = 'stratos_pg15';

/** Why PostgreSQL 15 with pg_cron and pgTAP cannot run here, or null when it can. */
export function pg15Missing(): string | null {
  const needs: [string, string][] = [
    [join(BIN, 'postgres'), 'postgresql-15'],
    [join(BIN, 'initdb'), 'postgresql-15'],
    [join(BIN, 'psql'), 'postgresql-client-15'],
    [join(LIB, 'pg_cron.so'), 'postgresql-15-cron'],
    [join(SHARE, 'extension', 'pgtap.control'), 'postgresql-15-pgtap'],
  ];
  const missing = [...new Set(needs.filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg))];
  return missing.length > 0 ? `missing ${missing.join(', ')}` : null;
}

/**
 * initdb refuses to run as root, and the server must own its data directory: as root, both run as
 * the `postgres` OS user the Debian package creates; as anyone else, as that user.
 */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root but there is no postgres OS user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function waitForServer(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${log()}`);
    const sql = postgres(url, { onnotice: () => {}, max: 1, connect_timeout: 2 });
    try {
      await sql`select 1`;
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections in 30 s: ${err}\n${log()}`);
    } finally {
      await sql.end();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a fresh PG15 server with pg_cron on a free port, migrates its database, and returns it. */
export async function startPg15(): Promise<Pg15Server> {
  const missing = pg15Missing();
  if (missing)
    throw new Error(`PostgreSQL 15 test server: ${missing}; run scripts/ci/install-system-deps.sh`);
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'stratos-pg15-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const url = (database = DATABASE) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;

  let child: ChildProcess | null = null;
  let log = '';
  const stop = async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      // SIGINT is PostgreSQL's fast shutdown: it ends sessions (and pg_cron's workers) and exits.
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // A loopback-only server that lives for one test run: trust auth and no durability.
    await runCommand(
      join(BIN, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      user ?? {},
    );
    child = spawn(
      join(BIN, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'shared_preload_libraries=pg_cron',
        '-c',
        `cron.database_name=${DATABASE}`,
        // Jobs run in background workers, not through a libpq login, so no auth setup is needed.
        '-c',
        'cron.use_background_workers=on',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) },
    );
    const collect = (d: Buffer) => {
      // Keep the tail only: the log is for error messages, and pg_cron logs every job run.
      log = (log + d).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await waitForServer(url('postgres'), child, () => log);

    const admin = postgres(url('postgres'), { onnotice: () => {}, max: 1 });
    await admin.unsafe(`create database ${DATABASE}`);
    await admin.end();
    await migrate(url());
    const sql = postgres(url(), { onnotice: () => {}, max: 1 });
    await sql.unsafe(readFileSync(join(ROOT, 'scripts/pg15/supabase-standins.sql'), 'utf8'));
    await sql`create extension if not exists pgtap with schema extensions`;
    await sql.end();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    database: DATABASE,
    url,
    psql: (file) =>
      new Promise((resolve, reject) => {
        const psql = spawn(
          join(BIN, 'psql'),
          ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', url(), '-f', file],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, PGOPTIONS: '--client-min-messages=warning' },
          },
        );
        let output = '';
        psql.stdout.on('data', (d) => {
          output += d;
        });
        psql.stderr.on('data', (d) => {
          output += d;
        });
        psql.on('error', reject);
        psql.on('close', (code) => resolve({ code: code ?? 1, output }));
      }),
    stop,
  };
}
