import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/local/database.ts';
import { type Pg15Server, pg15Missing, startPg15 } from '../../scripts/pg15/server.ts';
import { tapProblems } from '../../scripts/pg15/tap.ts';
import { createContext } from '../../shared/config.ts';
import { connect } from '../../shared/db/client.ts';
import { createApp as ingestOhlcv } from '../../supabase/functions/ingest-ohlcv/app.ts';

const TESTS_DIR = join(ROOT, 'supabase/tests/database');
const FILES = readdirSync(TESTS_DIR)
  .filter((f) => f.endsWith('.test.sql'))
  .sort();
const missing = pg15Missing();
const required = process.env.STRATOS_REQUIRE_PG15 === '1';

describe('pgTAP output checks', () => {
  it('fails on not ok, an unmet plan, or no plan', () => {
    expect(tapProblems('1..2\nok 1 - a\nok 2 - b\n')).toEqual([]);
    expect(tapProblems('1..2\nok 1 - a\nnot ok 2 - b\n# Failed test 2')).toEqual(['not ok 2 - b']);
    expect(tapProblems('1..3\nok 1 - a\n')).toEqual(['planned 3 tests, ran 1']);
    expect(tapProblems('ERROR: boom')).toEqual(['no plan line (1..N): the file did not run']);
  });
});

if (missing && !required) {
  console.warn(`PostgreSQL 15 database tests skipped: ${missing}; run scripts/ci/install-system-deps.sh`);
}

if (missing && required) {
  describe('PostgreSQL 15 with pg_cron and pgTAP', () => {
    it('is installed (STRATOS_REQUIRE_PG15=1)', () => {
      throw new Error(`${missing}: run scripts/ci/install-system-deps.sh (as root) to install them`);
    });
  });
}

describe.skipIf(missing !== null)(
  `the database on PostgreSQL 15 with pg_cron (supabase/tests/database)${missing ? ` — skipped: ${missing}; run scripts/ci/install-system-deps.sh` : ''}`,
  () => {
    let server: Pg15Server;
    let sql: postgres.Sql;

    beforeAll(async () => {
      server = await startPg15();
      sql = postgres(server.url(), { onnotice: () => {}, max: 2 });
      // Committed Vault secrets, so pg_cron's own minutely run of the drain job can reach net.http_post
      // while the pgTAP files run (each of those works in a transaction it rolls back).
      await sql`select vault.create_secret('https://pg15-test.supabase.co', 'stratos_project_url')`;
      await sql`select vault.create_secret('sb_secret_pg15_test', 'stratos_secret_key')`;
    });
    afterAll(async () => {
      await sql?.end();
      await server?.stop();
    });

    for (const file of FILES) {
      it(`${file} passes`, async () => {
        const { code, output } = await server.psql(join(TESTS_DIR, file));
        const problems = tapProblems(output);
        expect({ code, problems }, output).toEqual({ code: 0, problems: [] });
      });
    }

    it('the requests the jobs send are accepted by the stage function, which runs the stage on this database', async () => {
      // Run the daily crypto and drain schedules as their jobs do, then replay the recorded requests
      // against the real ingest-ohlcv app (the gateway strips /functions/v1, as Supabase does).
      const calls = await sql.begin(async (tx) => {
        await tx`select stratos.run_schedule('daily_crypto'), stratos.run_schedule('queue_drain')`;
        return tx<{ url: string; body: unknown; headers: Record<string, string> }[]>`
          select url, body, headers from net.http_post_calls where xact = txid_current() order by id`;
      });
      expect(calls.map((c) => c.url)).toEqual([
        'https://pg15-test.supabase.co/functions/v1/ingest-ohlcv',
        'https://pg15-test.supabase.co/functions/v1/ingest-ohlcv/drain',
      ]);
      const db = connect(server.url(), { max: 4 });
      try {
        const app = ingestOhlcv(createContext({ STRATOS_SECRET_KEY: 'sb_secret_pg15_test' }, { sql: db }));
        const statuses: number[] = [];
        for (const call of calls) {
          const res = await app.request(call.url.replace('https://pg15-test.supabase.co/functions/v1', ''), {
            method: 'POST',
            headers: call.headers,
            body: JSON.stringify(call.body),
          });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([202, 200]);
        const runs = await sql`select stage, universe, chain from pipeline_runs where stage = 'ingest'`;
        expect(runs).toEqual([{ stage: 'ingest', universe: 'crypto_all', chain: true }]);
      } finally {
        await db.end();
      }
    });

    it('pg_cron itself runs the drain job, which posts to the drain function with the secret key', async () => {
      // The seeded queue_drain job fires at every minute boundary; wait for a run that found the secrets
      // (one at a boundary before beforeAll stored them fails, as it should).
      const deadline = Date.now() + 75_000;
      let calls: { url: string; apikey: string }[] = [];
      let succeeded = 0;
      while (Date.now() < deadline) {
        calls = await sql`
          select url, headers ->> 'apikey' as apikey from net.http_post_calls where url like '%/drain'`;
        const [runs] = await sql<{ n: number }[]>`
          select count(*)::int as n from cron.job_run_details d join cron.job j on j.jobid = d.jobid
          where j.jobname = 'stratos_queue_drain' and d.status = 'succeeded'`;
        succeeded = runs!.n;
        if (calls.length > 0 && succeeded > 0) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(calls[0]).toEqual({
        url: 'https://pg15-test.supabase.co/functions/v1/ingest-ohlcv/drain',
        apikey: 'sb_secret_pg15_test',
      });
      expect(succeeded).toBeGreaterThan(0);
      const [schedule] = await sql`select last_run_at from pipeline_schedules where id = 'queue_drain'`;
      expect(schedule?.last_run_at).not.toBeNull();
    }, 90_000);
  },
);
