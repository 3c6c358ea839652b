import postgres from 'postgres';
import { inject } from 'vitest';
import { connect, type Sql } from '../../shared/db/client.ts';

/** A throwaway database cloned from the migrated template. */
export interface TestDatabase {
  url: string;
  sql: Sql;
  drop: () => Promise<void>;
}

/** Creates a fresh, migrated database for one suite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = postgres(adminUrl, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`create database ${name} template stratos_template`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = connect(url, { max: 8 });
  return {
    url,
    sql,
    drop: async () => {
      await sql.end();
      const a = postgres(adminUrl, { onnotice: () => {}, max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
