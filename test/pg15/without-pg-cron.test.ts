import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireDueSchedules } from '../../scripts/local/scheduler.ts';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { triggerRun } from '../../shared/api/service.ts';
import { claimJobs, drain } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, TEST_DATE } from '../support/pipeline.ts';

// The same migrations on the embedded PostgreSQL 17 of the local stack, which has no pg_cron: the
// cron sync is a no-op, and the local scheduler runs the watchdog and cleanup SQL functions itself.
describe('schedules, watchdog and cleanup without pg_cron', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeEach(async () => {
    ({ db, ctx } = await createPipelineFixture());
  });
  afterEach(() => db.drop());

  it('migrates without pg_cron, and editing schedules leaves no trace of cron', async () => {
    const [state] = await ctx.sql`
      select exists (select 1 from pg_extension where extname = 'pg_cron') as extension,
             to_regnamespace('cron') as schema,
             stratos.sync_cron_jobs() as synced`;
    expect(state).toEqual({ extension: false, schema: null, synced: 0 });

    await ctx.sql`
      insert into pipeline_schedules (id, description, cron, action) values ('extra', 'x', '0 1 * * *', 'watchdog')`;
    await ctx.sql`update pipeline_schedules set enabled = false, cron = '0 2 * * *' where id = 'extra'`;
    await ctx.sql`delete from pipeline_schedules where id = 'extra'`;
    await expect(
      ctx.sql`insert into pipeline_schedules (id, description, cron, action) values ('bad', 'x', '* * * * *', 'reboot')`,
    ).rejects.toThrow(/pipeline_schedules_action_check/);

    const schedules =
      await ctx.sql`select id, cron, action from pipeline_schedules where action in ('watchdog', 'cleanup')`;
    expect(schedules).toEqual(
      expect.arrayContaining([
        { id: 'watchdog', cron: '*/5 * * * *', action: 'watchdog' },
        { id: 'cleanup', cron: '45 3 * * *', action: 'cleanup' },
      ]),
    );
  });

  it('times out a stuck run from the local scheduler; rerunning it starts afresh with a new deadline', async () => {
    const [run] = await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'equity_all' });
    const [fresh] = await ctx.sql<{ hours: number }[]>`
      select extract(epoch from deadline_at - started_at) / 3600 as hours from pipeline_runs where id = ${run!.id}`;
    expect(Number(fresh!.hours)).toBeCloseTo(6, 1);

    // A worker claims a job and dies; nobody drains; the deadline passes.
    const [claimed] = await claimJobs(ctx, 'doomed-worker', 1);
    expect(claimed).toBeDefined();
    await ctx.sql`update pipeline_runs set deadline_at = now() - interval '1 second' where id = ${run!.id}`;

    // 10:05 UTC: only the watchdog is due (queue_drain is the scheduler's own loop).
    const fired = await fireDueSchedules(ctx, new Date('2026-11-20T10:05:00Z'));
    expect(fired).toEqual(['watchdog']);
    const [timedOut] = await ctx.sql`
      select status, summary ->> 'timed_out' as timed_out, finished_at is not null as finished
      from pipeline_runs where id = ${run!.id}`;
    expect(timedOut).toEqual({ status: 'failed', timed_out: 'true', finished: true });
    const jobs =
      await ctx.sql`select distinct status, locked_by from pipeline_jobs where run_id = ${run!.id}`;
    expect(jobs).toEqual([{ status: 'failed', locked_by: null }]);
    expect(await drain(ctx, { workerId: 'late', budgetMs: 5_000 })).toMatchObject({ processed: 0 });

    // A rerun (what the dashboard's run button or the next schedule does) reopens it with a new deadline.
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'equity_all' });
    const [reopened] = await ctx.sql`
      select status, deadline_at > now() + interval '5 hours' as fresh_deadline from pipeline_runs where id = ${run!.id}`;
    expect(reopened).toEqual({ status: 'running', fresh_deadline: true });
    await drainUntilIdle(ctx, 'worker');
    const [done] = await ctx.sql`select status from pipeline_runs where id = ${run!.id}`;
    expect(done!.status).toBe('succeeded');
  });

  it('cleans up finished runs and their jobs past the retention from the local scheduler, keeping the data', async () => {
    const [old] = await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all' });
    await drainUntilIdle(ctx, 'worker');
    await ctx.sql`update pipeline_runs set finished_at = now() - interval '31 days' where id = ${old!.id}`;
    const [recent] = await triggerRun(ctx, { stage: 'ingest', date: '2026-11-19', universe: 'crypto_all' });
    await drainUntilIdle(ctx, 'worker');
    const [before] = await ctx.sql<{ bars: number; jobs: number }[]>`
      select (select count(*)::int from daily_bars) as bars,
             (select count(*)::int from pipeline_jobs where run_id = ${old!.id}) as jobs`;
    expect(before!.bars).toBeGreaterThan(0);
    expect(before!.jobs).toBeGreaterThan(0);

    // 03:45 UTC: the cleanup (and, at a multiple of 5 minutes, the watchdog) is due.
    const fired = await fireDueSchedules(ctx, new Date('2026-11-20T03:45:00Z'));
    expect(fired.sort()).toEqual(['cleanup', 'watchdog']);
    const runs = await ctx.sql`select id from pipeline_runs order by id`;
    expect(runs.map((r) => r.id)).toEqual([recent!.id]);
    const [after] = await ctx.sql<{ bars: number; jobs: number }[]>`
      select (select count(*)::int from daily_bars) as bars,
             (select count(*)::int from pipeline_jobs where run_id = ${old!.id}) as jobs`;
    expect(after).toEqual({ bars: before!.bars, jobs: 0 });
    const [lastRun] =
      await ctx.sql`select last_run_at is not null as recorded from pipeline_schedules where id = 'cleanup'`;
    expect(lastRun!.recorded).toBe(true);
  });
});
