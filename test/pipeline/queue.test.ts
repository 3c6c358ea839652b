import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainUntilIdle } from '../../scripts/local/session.ts';
import { listRuns, triggerRun } from '../../shared/api/service.ts';
import { STAGES } from '../../shared/domain/stages.ts';
import { AppError } from '../../shared/errors/index.ts';
import { claimJobs, drain, startRun } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';
import type { MarketDataProvider } from '../../shared/providers/types.ts';
import type { TestDatabase } from '../support/db.ts';
import { createPipelineFixture, snapshot, TEST_DATE } from '../support/pipeline.ts';

const FROM = '2026-10-01';

async function expireLeases(ctx: PipelineContext) {
  await ctx.sql`update pipeline_jobs set locked_until = now() - interval '1 second' where status = 'running'`;
}

describe('the job queue', () => {
  let db: TestDatabase;
  let ctx: PipelineContext;

  beforeEach(async () => {
    ({ db, ctx } = await createPipelineFixture());
  });
  afterEach(() => db.drop());

  it('does not double the work when the same run key is triggered concurrently', async () => {
    const opts = {
      stage: 'ingest' as const,
      date: TEST_DATE,
      universe: 'crypto_all',
      chain: false,
      params: { from: FROM },
    };
    const results = await Promise.all([startRun(ctx, opts), startRun(ctx, opts), startRun(ctx, opts)]);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [jobs] = await ctx.sql<{ n: number }[]>`select count(*) as n from pipeline_jobs`;
    const [assets] = await ctx.sql<
      { n: number }[]
    >`select count(*) as n from assets where asset_type = 'crypto'`;
    expect(jobs!.n).toBe(Math.ceil(assets!.n / 50));
    // While it runs, another trigger (even one asking to re-run) returns the same run.
    const again = await startRun(ctx, { ...opts, rerun: true });
    expect(again.created).toBe(false);
  });

  it('loses nothing when a worker dies mid-run: its lease expires and another worker finishes the job', async () => {
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'equity_all', from: FROM });
    const claimed = await claimJobs(ctx, 'doomed-worker', 1);
    expect(claimed).toHaveLength(1);
    // The doomed worker never reports back; until its lease expires nobody else may take the job.
    await drain(ctx, { workerId: 'survivor', budgetMs: 30_000 });
    const [held] = await ctx.sql<{ status: string; locked_by: string }[]>`
      select status, locked_by from pipeline_jobs where id = ${claimed[0]!.id}`;
    expect(held).toEqual({ status: 'running', locked_by: 'doomed-worker' });

    await expireLeases(ctx);
    await drainUntilIdle(ctx, 'survivor');
    const [job] = await ctx.sql<{ status: string; attempts: number; locked_by: string | null }[]>`
      select status, attempts, locked_by from pipeline_jobs where id = ${claimed[0]!.id}`;
    expect(job).toEqual({ status: 'done', attempts: 2, locked_by: null });
    const [run] = await listRuns(ctx, {});
    expect(run!.status).toBe('succeeded');

    // Same rows as an uninterrupted run on a fresh database.
    const interrupted = await snapshot(ctx);
    const clean = await createPipelineFixture();
    try {
      await triggerRun(clean.ctx, { stage: 'ingest', date: TEST_DATE, universe: 'equity_all', from: FROM });
      await drainUntilIdle(clean.ctx, 'clean');
      const fresh = await snapshot(clean.ctx);
      expect(interrupted.bars.length).toBeGreaterThan(0);
      expect(interrupted.bars.map(({ asset_id: _, ...b }) => b)).toEqual(
        fresh.bars.map(({ asset_id: _, ...b }) => b),
      );
    } finally {
      await clean.db.drop();
    }
  });

  it('finalizes and chains a run whose worker died after its last job but before finalizing it', async () => {
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    const [ingest] = await listRuns(ctx, {});
    // What the dead worker left: every job done, the run still running, nothing chained.
    await ctx.sql`update pipeline_jobs set status = 'done', result = '{}'::jsonb where run_id = ${ingest!.id}`;
    await drain(ctx, { workerId: 'next', budgetMs: 30_000 });
    const runs = await ctx.sql<{ stage: string; status: string }[]>`
      select stage, status from pipeline_runs order by id`;
    expect(runs[0]).toEqual({ stage: 'ingest', status: 'succeeded' });
    expect(runs.map((r) => r.stage)).toContain(STAGES[1]);
  });

  it('chains the next stage for a run whose worker died after finalizing it, once the grace has passed', async () => {
    await triggerRun(ctx, { stage: 'pipeline', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    await drain(ctx, { workerId: 'w', budgetMs: 30_000 });
    // Let the ingest run finish normally, then make it look like its worker died before chaining.
    const ingest = async () =>
      (
        await ctx.sql<{ id: number; chained_at: Date | null }[]>`
          select id, chained_at from pipeline_runs where stage = 'ingest'`
      )[0]!;
    expect((await ingest()).chained_at).not.toBeNull();
    await ctx.sql`delete from pipeline_runs where stage <> 'ingest'`;
    await ctx.sql`update pipeline_runs set chained_at = null, finished_at = now() where stage = 'ingest'`;

    // Within the grace the finishing worker may still be in afterRun: nobody else chains.
    await drain(ctx, { workerId: 'early', budgetMs: 30_000 });
    expect(await ctx.sql`select 1 from pipeline_runs where stage = ${STAGES[1]!}`).toHaveLength(0);

    await ctx.sql`update pipeline_runs set finished_at = now() - interval '11 minutes' where stage = 'ingest'`;
    await drainUntilIdle(ctx, 'late');
    const stages = await ctx.sql<{ stage: string; status: string }[]>`
      select stage, status from pipeline_runs order by id`;
    // Every stage of the chain, in order (the chain grows as stages are added).
    expect(stages).toEqual(STAGES.map((stage) => ({ stage, status: 'succeeded' })));
    expect((await ingest()).chained_at).not.toBeNull();
  });

  it('parks a job as failed after its last attempt instead of retrying forever', async () => {
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await claimJobs(ctx, `crashing-${attempt}`, 1);
      expect(job!.attempts).toBe(attempt);
      await expireLeases(ctx);
    }
    expect(await claimJobs(ctx, 'late', 1)).toHaveLength(0);
    const [run] = await listRuns(ctx, {});
    expect(run!.status).toBe('failed');
    expect(run!.jobs.failed).toBe(1);
    expect(run!.errors[0]!.error).toMatch(/lease expired on the last attempt/);
  });

  it.each([
    ['parks a job at once when its error says retrying cannot help', false, 1],
    ['retries a job whose error is retryable until its attempts run out', true, 3],
  ])('%s', async (_, retryable, attempts) => {
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    // Fails before any request, so the error reaches the queue instead of the per-symbol fallback.
    ctx.providers = () => {
      throw retryable
        ? new AppError('provider_unavailable', 'all providers are down')
        : new AppError('provider_rejected', 'the key was refused');
    };
    await drainUntilIdle(ctx);
    const jobs = await ctx.sql<{ status: string; attempts: number; last_error: string }[]>`
      select status, attempts, last_error from pipeline_jobs`;
    expect(jobs).toEqual([
      {
        status: 'failed',
        attempts,
        last_error: retryable
          ? 'provider_unavailable: all providers are down'
          : 'provider_rejected: the key was refused',
      },
    ]);
    const [run] = await listRuns(ctx, {});
    expect(run!.status).toBe('failed');
  });

  it.each([
    [
      'payload',
      `update pipeline_jobs set payload = '{"asset_ids": "all"}'`,
      /ingest job payload: asset_ids: /,
    ],
    [
      'run parameters',
      `update pipeline_runs set params = '{"from": "2026-13-01"}'`,
      /ingest run parameters: from: /,
    ],
  ])('parks a job at once when its %s fail the stage schema', async (_, corrupt, message) => {
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all' });
    await ctx.sql.unsafe(corrupt);
    await drainUntilIdle(ctx);
    const jobs = await ctx.sql<{ status: string; attempts: number; last_error: string }[]>`
      select status, attempts, last_error from pipeline_jobs`;
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'failed', attempts: 1 });
      expect(job.last_error).toMatch(/^invalid_input: invalid /);
      expect(job.last_error).toMatch(message);
    }
  });

  it('records a failing asset and still stores the others (run ends partial)', async () => {
    const demo = ctx.providers('crypto')[0]!;
    const flaky: MarketDataProvider = {
      ...demo,
      id: 'flaky',
      async fetchDailyBars(req) {
        const res = await demo.fetchDailyBars({ ...req, symbols: req.symbols.filter((s) => s !== 'ETH') });
        return {
          bars: res.bars,
          errors: [...res.errors, { symbol: 'ETH', error: 'HTTP 404 unknown symbol' }],
        };
      },
    };
    ctx.providers = () => [flaky];
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    await drainUntilIdle(ctx);
    const [run] = await listRuns(ctx, {});
    expect(run!.status).toBe('partial');
    expect(run!.errors).toEqual([{ scope: 'ETH', error: 'flaky: HTTP 404 unknown symbol' }]);
    const [eth] =
      await ctx.sql`select count(*)::int as n from daily_bars b join assets a on a.id = b.asset_id where symbol = 'ETH'`;
    const [btc] =
      await ctx.sql`select count(*)::int as n from daily_bars b join assets a on a.id = b.asset_id where symbol = 'BTC'`;
    expect(eth!.n).toBe(0);
    expect(btc!.n).toBeGreaterThan(40);
  });

  it('falls back to the next provider for symbols the first one cannot serve', async () => {
    const demo = ctx.providers('crypto')[0]!;
    const down: MarketDataProvider = {
      ...demo,
      id: 'down',
      async fetchDailyBars() {
        throw new Error('503 Service Unavailable');
      },
    };
    ctx.providers = () => [down, demo];
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    await drainUntilIdle(ctx);
    const [run] = await listRuns(ctx, {});
    expect(run!.status).toBe('succeeded');
    const sources = await ctx.sql`select distinct source from daily_bars`;
    expect(sources).toEqual([{ source: 'demo' }]);
  });

  it('rejects invalid bars into the data-quality ledger with the reason and keeps the valid ones', async () => {
    const demo = ctx.providers('crypto')[0]!;
    const dirty: MarketDataProvider = {
      ...demo,
      id: 'dirty',
      async fetchDailyBars(req) {
        const res = await demo.fetchDailyBars(req);
        const bad = { ...res.bars[0]!, high: Number(res.bars[0]!.low) / 2 };
        return { bars: [bad, ...res.bars.slice(1)], errors: res.errors };
      },
    };
    ctx.providers = () => [dirty];
    await triggerRun(ctx, { stage: 'ingest', date: TEST_DATE, universe: 'crypto_all', from: FROM });
    await drainUntilIdle(ctx);
    const rejected = await ctx.sql<
      { source: string; reason: string }[]
    >`select source, reason from data_quality_ledger`;
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.source).toBe('dirty');
    expect(rejected[0]!.reason).toMatch(/high/);
  });
});
