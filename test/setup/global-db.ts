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
