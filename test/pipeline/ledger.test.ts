import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { addDays } from '../../shared/calendar/index.ts';
import { claimJobs, getRun } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { MarketDataProvider } from '../../shared/providers/types.ts';
import { STAGE_HANDLERS } from '../../shared/stages/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE } from '../support/pipeline.ts';

const FROM = '2026-08-01';
/** Inside the daily ingest's 30-day repair window, so every daily run fetches these bars again. */
const SPIKE = addDays(TEST_DATE, -5);
const BROKEN = addDays(TEST_DATE, -8);

/** The demo provider with a tripled BTC close (flagged, kept) and an ETH bar whose high is below its low (rejected). */
function faultyProvider(ctx: PipelineContext): MarketDataProvider {
  const demo = ctx.providers('crypto')[0]!;
  return {
    ...demo,
    async fetchDailyBars(req) {
      const res = await demo.fetchDailyBars(req);
      const bars = res.bars.map((b) => {
        if (b.symbol === 'BTC' && b.date === SPIKE)
          return { ...b, close: Number(b.close) * 3, high: Number(b.close) * 3 };
        if (b.symbol === 'ETH' && b.date === BROKEN) return { ...b, high: Number(b.low) / 2 };
        return b;
      });
      return { ...res, bars };
    },
  };
}

/** The ledger without ids and timestamps, in a stable order. */
async function ledger(ctx: PipelineContext) {
  return ctx.sql<{ kind: string; source: string; symbol: string; date: string; reason: string }[]>`
    select kind, source, symbol, date, raw, reason from data_quality_ledger
    order by kind, source, symbol, date, payload_hash`;
}

async function expireLeases(ctx: PipelineContext) {
  await ctx.sql`update pipeline_jobs set locked_until = now() - interval '1 second' where status = 'running'`;
}

describe('the data-quality ledger converges', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;
  let uninterrupted: Awaited<ReturnType<typeof ledger>>;

  beforeAll(async () => {
    ({ db, ctx } = await createPipelineFixture());
    const faulty = faultyProvider(ctx);
    ctx.providers = () => [faulty];
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    await drainUntilIdle(ctx);
    uninterrupted = await ledger(ctx);
  });
  afterAll(() => db.drop());

  it('records the flagged and the rejected bar of a backfill', () => {
    expect(uninterrupted.filter((r) => r.symbol === 'BTC' && r.date === SPIKE)).toMatchObject([
      { kind: 'flagged', source: 'demo' },
    ]);
    // The rejected bar leaves a hole the calendar check ledgers as a gap too.
    expect(uninterrupted.filter((r) => r.symbol === 'ETH' && r.date === BROKEN)).toMatchObject([
      { kind: 'gap', source: 'calendar' },
      { kind: 'rejected', source: 'demo', reason: expect.stringMatching(/high .* is below low/) },
    ]);
  });

  it('adds nothing when daily runs fetch the same flagged bar again in their repair window', async () => {
    for (let i = 0; i < 2; i++) {
      const [run] = await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all' });
      await drainUntilIdle(ctx);
      // The daily run did screen the spike again: its job counted the flag.
      expect((await getRun(ctx, run!.id))!.summary.bars_flagged).toBeGreaterThan(0);
    }
    expect(await ledger(ctx)).toEqual(uninterrupted);
  });

  it('records a revised bar as a new finding', async () => {
    const demo = ctx.providers('crypto')[0]!;
    ctx.providers = () => [
      {
        ...demo,
        async fetchDailyBars(req) {
          const res = await demo.fetchDailyBars(req);
          const bars = res.bars.map((b) =>
            b.symbol === 'BTC' && b.date === SPIKE
              ? { ...b, close: Number(b.close) * 1.1, high: Number(b.close) * 1.1 }
              : b,
          );
          return { ...res, bars };
        },
      },
    ];
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all' });
    await drainUntilIdle(ctx);
    const spikes = (await ledger(ctx)).filter((r) => r.symbol === 'BTC' && r.date === SPIKE);
    expect(spikes.map((r) => r.kind)).toEqual(['flagged', 'flagged']);
    ctx.providers = () => [demo];
  });

  it('holds the same ledger after a worker died mid-job and another one redid it', async () => {
    const resumed = await createPipelineFixture();
    try {
      const faulty = faultyProvider(resumed.ctx);
      resumed.ctx.providers = () => [faulty];
      const [view] = await triggerRun(resumed.ctx, {
        stage: 'ingest',
        date: TEST_DATE,
        universe: 'crypto_all',
        from: FROM,
      });
      // The doomed worker does every job's work (bars and ledger written) but dies before reporting back.
      const run = (await getRun(resumed.ctx, view!.id))!;
      for (const job of await claimJobs(resumed.ctx, 'doomed-worker', 100)) {
        await STAGE_HANDLERS.ingest.process(resumed.ctx, run, job.payload);
      }
      await expireLeases(resumed.ctx);
      await drainUntilIdle(resumed.ctx, 'survivor');
      const [attempts] = await resumed.ctx.sql<{ min: number }[]>`
        select min(attempts)::int as min from pipeline_jobs where run_id = ${run.id}`;
      expect(attempts!.min).toBe(2);
      expect(await ledger(resumed.ctx)).toEqual(uninterrupted);
    } finally {
      await resumed.db.drop();
    }
  });
});

describe('the ledger key migration', () => {
  it('keeps the first of the rows a ledger recorded twice before it, then refuses a second copy', async () => {
    const db = await createTestDatabase();
    try {
      // Back to the ledger as it was before the migration, with the duplicates it used to collect.
      await db.sql`drop index data_quality_ledger_finding_key`;
      await db.sql`alter table data_quality_ledger drop column payload_hash`;
      await db.sql`
        insert into data_quality_ledger (kind, source, symbol, asset_type, date, raw, reason, recorded_at) values
          ('flagged', 'demo', 'BTC', 'crypto', '2026-11-01', '{"close": 3, "open": 1}', 'jump, 12 sd', '2026-11-02'),
          ('flagged', 'demo', 'BTC', 'crypto', '2026-11-01', '{"open": 1, "close": 3}', 'jump, 11 sd', '2026-11-03'),
          ('flagged', 'demo', 'BTC', 'crypto', '2026-11-01', '{"open": 1, "close": 4}', 'jump, 15 sd', '2026-11-03'),
          ('rejected', 'csv', null, 'equity', null, '{"date": ""}', 'missing date', '2026-11-02'),
          ('rejected', 'csv', null, 'equity', null, '{"date": ""}', 'missing date', '2026-11-04')`;
      const migration = readFileSync(
        new URL('../../supabase/migrations/20261207000100_ledger_natural_key.sql', import.meta.url),
        'utf8',
      );
      await db.sql.unsafe(migration);
      const rows = await db.sql<{ kind: string; reason: string; recorded_at: string }[]>`
        select kind, reason, recorded_at::date::text as recorded_at from data_quality_ledger order by id`;
      expect(rows).toEqual([
        { kind: 'flagged', reason: 'jump, 12 sd', recorded_at: '2026-11-02' },
        { kind: 'flagged', reason: 'jump, 15 sd', recorded_at: '2026-11-03' },
        { kind: 'rejected', reason: 'missing date', recorded_at: '2026-11-02' },
      ]);
      await expect(
        db.sql`insert into data_quality_ledger (kind, source, asset_type, raw, reason)
               values ('rejected', 'csv', 'equity', '{"date": ""}', 'missing date again')`,
      ).rejects.toThrow(/data_quality_ledger_finding_key/);
    } finally {
      await db.drop();
    }
  });
});
