import type { Sql } from '../db/client.ts';
import type { AssetType } from '../domain/market.ts';
import { type RunStage, STAGES, type Stage } from '../domain/stages.ts';
import { AppError, errorMessage } from '../errors/index.ts';
import { STAGE_HANDLERS } from '../stages/index.ts';
import { jobPayload, stageRun } from '../stages/input.ts';
import { refuseFutureRunDate } from './run-date.ts';
import type { JobRow, PipelineContext, RunRow } from './types.ts';

/** The stage that a finished run of `stage` starts for the same date and universe (none after a backtest). */
export function nextStage(stage: RunStage): Stage | null {
  const i = (STAGES as readonly RunStage[]).indexOf(stage);
  return i < 0 ? null : (STAGES[i + 1] ?? null);
}

export interface StartRunOptions {
  /** A pipeline stage or the lifecycle (a backtest run is keyed by its backtest: shared/api/backtests.ts). */
  stage: Stage | 'lifecycle';
  date: string;
  universe: string;
  chain?: boolean;
  params?: Record<string, unknown>;
  /**
   * What to do when the run key already exists and has finished: `true` runs it again (stages are
   * idempotent, so this converges to the same rows), `false` keeps the finished run. A run that is
   * still running is never started twice.
   */
  rerun?: boolean;
  /** The clock the run date is checked against (default: now). */
  now?: Date;
}

/**
 * Starts a stage run for (stage, date, universe) and queues its jobs. Duplicate triggers for the
 * same key return the existing run instead of doubling the work.
 */
export async function startRun(
  ctx: PipelineContext,
  opts: StartRunOptions,
): Promise<{ run: RunRow; created: boolean }> {
  const chain = opts.chain ?? true;
  const params = opts.params ?? {};
  // One transaction: a concurrent trigger for the same key waits on the unique index and then sees
  // the run with all its jobs, and a crash never leaves a run without its jobs.
  const started = await ctx.sql.begin(async (sql) => {
    // postgres.js types a transaction apart from a pool, but it runs the same queries.
    const tx: PipelineContext = { ...ctx, sql: sql as unknown as Sql };
    const [universe] = await sql<{ asset_type: AssetType }[]>`
      select asset_type from universes where id = ${opts.universe}`;
    if (!universe) throw new AppError('not_found', `unknown universe "${opts.universe}"`);
    // Every caller checks the date already; the planner refuses too, so no path writes a future run.
    refuseFutureRunDate(opts.date, universe.asset_type, opts.now);

    const [inserted] = await sql<RunRow[]>`
      insert into pipeline_runs (stage, run_date, universe, chain, params)
      values (${opts.stage}, ${opts.date}, ${opts.universe}, ${chain}, ${sql.json(params as never)})
      on conflict (stage, run_date, universe) where stage <> 'backtest' do nothing
      returning *`;
    let run = inserted;
    if (!run) {
      // Only a finished run may be reset; a running one is left alone.
      const [reset] = opts.rerun
        ? await sql<RunRow[]>`
            update pipeline_runs
            set status = 'running', chain = ${chain}, params = ${sql.json(params as never)}, summary = '{}',
                started_at = now(), finished_at = null
            where stage = ${opts.stage} and run_date = ${opts.date} and universe = ${opts.universe}
              and status <> 'running'
            returning *`
        : [];
      if (!reset) {
        const [existing] = await sql<RunRow[]>`
          select * from pipeline_runs
          where stage = ${opts.stage} and run_date = ${opts.date} and universe = ${opts.universe}`;
        return { run: existing!, created: false, jobs: 0 };
      }
      run = reset;
      await sql`delete from pipeline_jobs where run_id = ${run.id}`;
      await sql`delete from pipeline_asset_errors where run_id = ${run.id}`;
    }
    const jobs = await queueJobs(tx, run);
    return { run, created: true, jobs };
  });
  // A run with nothing to do finishes at once (and chains on), after its transaction committed.
  if (started.created && started.jobs === 0) await finalizeRun(ctx, started.run.id);
  return { run: (await getRun(ctx, started.run.id))!, created: started.created };
}

async function queueJobs(ctx: PipelineContext, run: RunRow): Promise<number> {
  const { sql } = ctx;
  const handler = STAGE_HANDLERS[run.stage];
  const payloads = await handler.plan(ctx, stageRun(handler, run));
  if (payloads.length > 0) {
    await sql`
      insert into pipeline_jobs (run_id, chunk, payload)
      select ${run.id}, ordinality - 1, value
      from jsonb_array_elements(${sql.json(payloads as never)}) with ordinality`;
  }
  ctx.log(`${run.stage} ${run.universe} ${run.run_date}: queued ${payloads.length} job(s)`);
  return payloads.length;
}

/**
 * Puts a run's failed jobs back in the queue with fresh attempts and reopens the run, so workers pick
 * them up and the run is finalized (and chains on) again when they finish. Returns how many jobs were
 * re-queued; with none, the run is left as it is.
 */
export async function requeueFailedJobs(ctx: PipelineContext, runId: number): Promise<number> {
  return ctx.sql.begin(async (sql) => {
    const jobs = await sql`
      update pipeline_jobs
      set status = 'queued', attempts = 0, last_error = null, result = null, locked_by = null,
          locked_until = null, started_at = null, updated_at = now()
      where run_id = ${runId} and status = 'failed'
      returning id`;
    if (jobs.length > 0) {
      await sql`
        update pipeline_runs set status = 'running', finished_at = null, summary = summary - 'error'
        where id = ${runId} and status <> 'running'`;
    }
    return jobs.length;
  });
}

/** Reads one run. */
export async function getRun(ctx: PipelineContext, id: number): Promise<RunRow | null> {
  const [run] = await ctx.sql<RunRow[]>`select * from pipeline_runs where id = ${id}`;
  return run ?? null;
}

/**
 * Claims up to `limit` jobs for `workerId`: queued jobs, and running jobs whose lease expired
 * (their worker died). `SKIP LOCKED` lets many workers claim concurrently without blocking.
 * Jobs whose lease expired on their last attempt are parked as failed first.
 */
export async function claimJobs(ctx: PipelineContext, workerId: string, limit = 1): Promise<JobRow[]> {
  const { sql } = ctx;
  const parked = await sql<{ run_id: number }[]>`
    update pipeline_jobs
    set status = 'failed', locked_by = null, locked_until = null, updated_at = now(),
        last_error = coalesce(last_error || '; ', '') || 'lease expired on the last attempt (worker died or timed out)'
    where status = 'running' and locked_until < now() and attempts >= max_attempts
    returning run_id`;
  for (const runId of new Set(parked.map((p) => p.run_id))) await finalizeRun(ctx, runId);

  return sql<JobRow[]>`
    with claimable as (
      select id from pipeline_jobs
      where status = 'queued' or (status = 'running' and locked_until < now())
      order by id
      for update skip locked
      limit ${limit}
    )
    update pipeline_jobs j
    set status = 'running', attempts = j.attempts + 1, locked_by = ${workerId}, started_at = now(),
        locked_until = now() + make_interval(secs => ${ctx.leaseSeconds}), updated_at = now()
    from claimable
    where j.id = claimable.id
    returning j.*`;
}

/**
 * Processes one claimed job with its stage handler and records the outcome. A job that throws is
 * queued again until it has used its attempts, then parked as failed with its error; a job whose
 * error is not retryable (`AppError.retryable` false) is parked at once.
 */
export async function processJob(ctx: PipelineContext, job: JobRow): Promise<void> {
  const { sql } = ctx;
  const run = await getRun(ctx, job.run_id);
  if (!run) return;
  try {
    // Parsed here, once: a run or payload that does not fit its stage's schema is parked at once.
    const handler = STAGE_HANDLERS[run.stage];
    const outcome = await handler.process(ctx, stageRun(handler, run), jobPayload(handler, job.payload));
    if (outcome.assetErrors.length > 0) {
      const rows = outcome.assetErrors.map((e) => ({
        run_id: run.id,
        asset_id: e.assetId,
        error: e.error,
        kind: e.kind ?? 'error',
      }));
      // Another job of the run (a backfill's next year) never turns an asset's error into a mere note.
      await sql`
        insert into pipeline_asset_errors ${sql(rows, 'run_id', 'asset_id', 'error', 'kind')}
        on conflict (run_id, asset_id) do update
        set error = excluded.error, kind = excluded.kind, created_at = now()
        where pipeline_asset_errors.kind = 'fallback' or excluded.kind = 'error'`;
    }
    // Guarded by the lease holder: a worker whose lease was taken over does not overwrite the new owner.
    await sql`
      update pipeline_jobs
      set status = 'done', result = ${sql.json(outcome.counts)}, last_error = null,
          locked_by = null, locked_until = null, updated_at = now()
      where id = ${job.id} and locked_by = ${job.locked_by} and status = 'running'`;
  } catch (err) {
    // An AppError keeps its stable code in the job's error; one that says retrying cannot help
    // (bad input, a rejected request) is parked at once instead of using up its attempts.
    const message = err instanceof AppError ? `${err.code}: ${errorMessage(err)}` : errorMessage(err);
    const retry = !(err instanceof AppError) || err.retryable;
    ctx.log(
      `${run.stage} job ${job.id} (attempt ${job.attempts}/${job.max_attempts}) failed${retry ? '' : ' (not retryable)'}: ${message}`,
    );
    await sql`
      update pipeline_jobs
      set status = case when ${!retry}::boolean or attempts >= max_attempts then 'failed' else 'queued' end,
          last_error = ${message}, locked_by = null, locked_until = null, updated_at = now()
      where id = ${job.id} and locked_by = ${job.locked_by} and status = 'running'`;
  }
  await finalizeRun(ctx, run.id);
}

/**
 * Marks a run finished once none of its jobs is queued or running, sums the job counters into its
 * summary, and starts the next stage. The conditional update makes exactly one caller win.
 */
export async function finalizeRun(ctx: PipelineContext, runId: number): Promise<RunRow | null> {
  const { sql } = ctx;
  const [run] = await sql<RunRow[]>`
    with jobs as (
      select count(*) filter (where status = 'done') as done,
             count(*) filter (where status = 'failed') as failed,
             count(*) as total
      from pipeline_jobs where run_id = ${runId}
    ),
    counters as (
      select coalesce(jsonb_object_agg(key, total), '{}'::jsonb) as summary
      from (
        select key, sum(value::text::numeric) as total
        from pipeline_jobs, jsonb_each(coalesce(result, '{}'::jsonb))
        where run_id = ${runId} and jsonb_typeof(value) = 'number'
        group by key
      ) sums
    )
    update pipeline_runs r
    set status = case
          when jobs.failed = 0 and not exists (
            select 1 from pipeline_asset_errors e where e.run_id = r.id and e.kind = 'error')
            then 'succeeded'
          when jobs.done > 0 then 'partial'
          else 'failed'
        end,
        finished_at = now(),
        summary = r.summary || counters.summary
    from jobs, counters
    where r.id = ${runId} and r.status = 'running'
      and not exists (select 1 from pipeline_jobs j where j.run_id = r.id and j.status in ('queued', 'running'))
    returning r.*`;
  if (!run) return null;
  return followUp(ctx, run);
}

/**
 * A finished run's follow-up: afterRun (work over the whole run), then the next stage when the run
 * chains, then `chained_at`. Both steps are idempotent, so a follow-up repeated after a crash (see
 * finalizeOrphanedRuns) converges to the same rows.
 */
async function followUp(ctx: PipelineContext, run: RunRow): Promise<RunRow> {
  const { sql } = ctx;
  const handler = STAGE_HANDLERS[run.stage];
  if (handler.afterRun && run.status !== 'failed') {
    try {
      const counts = await handler.afterRun(ctx, stageRun(handler, run));
      await sql`update pipeline_runs set summary = summary || ${sql.json(counts)} where id = ${run.id}`;
    } catch (err) {
      const error = `after the last job: ${errorMessage(err)}`;
      await sql`
        update pipeline_runs set status = 'partial', summary = summary || ${sql.json({ error })}
        where id = ${run.id}`;
    }
  }
  // Re-read: afterRun may have changed the status (e.g. a spent review budget) or widened the range
  // the next stages must cover.
  const finished = (await getRun(ctx, run.id))!;
  ctx.log(`${finished.stage} ${finished.universe} ${finished.run_date}: ${finished.status}`);
  const next = nextStage(finished.stage);
  if (finished.chain && next && finished.status !== 'failed') {
    await startRun(ctx, {
      stage: next,
      date: finished.run_date,
      universe: finished.universe,
      chain: true,
      params: finished.params,
      rerun: true,
    });
  }
  await sql`update pipeline_runs set chained_at = now() where id = ${run.id}`;
  return finished;
}

/** What one job of a drain cost, in ms; CPU is wall time where the runtime cannot measure CPU. */
export interface DrainedJob {
  id: number;
  wallMs: number;
  cpuMs: number;
}

export interface DrainResult {
  processed: number;
  /** True when it stopped (budget spent, or asked to stop) while work may remain. */
  budgetExhausted: boolean;
  /** Jobs still claimable when it returned: queued, or held by an expired lease (0 when the queue ran dry). */
  left: number;
  /** Wall ms the invocation used, counted from `since`. */
  wallMs: number;
  /** CPU ms the invocation used, counted from `since`; equal to `wallMs` when `cpuMeasured` is false. */
  cpuMs: number;
  /** Whether CPU time was measured, or wall time stood in for it. */
  cpuMeasured: boolean;
  jobs: DrainedJob[];
}

/** Clock readings in ms. Without `cpu` (Supabase's Edge Runtime has no per-request CPU clock), wall time bounds CPU time. */
export interface DrainClock {
  wall: () => number;
  cpu?: () => number;
}

/** How a drain is bounded; see `drain`. */
export interface DrainOptions {
  workerId: string;
  /** Wall ms after which no job starts. */
  budgetMs: number;
  /** CPU ms after which no job starts; unset: no CPU limit (the CLI and the local worker). */
  cpuBudgetMs?: number;
  clock?: DrainClock;
  /** Clock readings when the invocation began (e.g. before a trigger that preceded the drain); default: now. */
  since?: { wall: number; cpu?: number };
  shouldStop?: () => boolean;
}

/**
 * The share of a drain's budgets that one job is sized to stay under. A drain keeps at least this much
 * of each budget in reserve before starting a job, so as long as every job stays under it, no
 * invocation exceeds its budgets, whatever order jobs of different stages arrive in.
 */
export const JOB_SHARE = 0.25;

/** The wall clock of the runtime (performance.now exists in Deno, Node and browsers). */
export const WALL_CLOCK: DrainClock = { wall: () => performance.now() };

/**
 * Claims and processes jobs one at a time while the budgets allow. A job starts only if a reserve
 * still fits in both the wall and the CPU budget: JOB_SHARE of the budget, or the costliest job of
 * this drain so far when that was more. An invocation therefore ends inside its budgets instead of
 * overrunning them by a whole job; the first job always starts (stages size their jobs to stay under
 * JOB_SHARE of the default budget). Without a CPU clock, wall time stands in for CPU time: one
 * thread's CPU time never exceeds the wall time it ran for, so the bound is conservative. Leftover
 * work waits for the next drain.
 */
export async function drain(ctx: PipelineContext, opts: DrainOptions): Promise<DrainResult> {
  const clock = opts.clock ?? WALL_CLOCK;
  const cpuClock = clock.cpu ?? clock.wall;
  const wall0 = opts.since?.wall ?? clock.wall();
  const cpu0 = clock.cpu ? (opts.since?.cpu ?? clock.cpu()) : wall0;
  const jobs: DrainedJob[] = [];
  let reserveWall = opts.budgetMs * JOB_SHARE;
  let reserveCpu = (opts.cpuBudgetMs ?? 0) * JOB_SHARE;
  const result = (budgetExhausted: boolean, left: number): DrainResult => {
    const wallMs = clock.wall() - wall0;
    return {
      processed: jobs.length,
      budgetExhausted,
      left,
      wallMs,
      cpuMs: clock.cpu ? clock.cpu() - cpu0 : wallMs,
      cpuMeasured: clock.cpu !== undefined,
      jobs,
    };
  };
  const fits = () =>
    jobs.length === 0 ||
    (clock.wall() - wall0 + reserveWall <= opts.budgetMs &&
      (opts.cpuBudgetMs === undefined || cpuClock() - cpu0 + reserveCpu <= opts.cpuBudgetMs));
  while (fits() && !opts.shouldStop?.()) {
    const wallStart = clock.wall();
    const cpuStart = cpuClock();
    const [job] = await claimJobs(ctx, opts.workerId, 1);
    if (!job) {
      await finalizeOrphanedRuns(ctx);
      return result(false, 0);
    }
    await processJob(ctx, job);
    const cost = { id: job.id, wallMs: clock.wall() - wallStart, cpuMs: cpuClock() - cpuStart };
    jobs.push(cost);
    reserveWall = Math.max(reserveWall, cost.wallMs);
    reserveCpu = Math.max(reserveCpu, cost.cpuMs);
  }
  return result(true, await claimableJobs(ctx));
}

/**
 * How long a finished run may wait for its follow-up before an idle worker does it instead: longer
 * than any afterRun takes, so the two rarely overlap (and when they do, the steps are idempotent).
 */
export const FOLLOW_UP_GRACE = '10 minutes';

/**
 * Completes what dead workers left: runs still `running` with no open job (the worker died between
 * its last job and finalizing; finalizeRun's conditional update makes a race with it harmless), and
 * finished runs whose follow-up never ran (it died after finalizing, before chaining the next stage).
 */
export async function finalizeOrphanedRuns(ctx: PipelineContext): Promise<number> {
  const { sql } = ctx;
  const unfinished = await sql<{ id: number }[]>`
    select r.id from pipeline_runs r
    where r.status = 'running'
      and not exists (select 1 from pipeline_jobs j where j.run_id = r.id and j.status in ('queued', 'running'))`;
  for (const { id } of unfinished) await finalizeRun(ctx, id);
  const unchained = await sql<RunRow[]>`
    select * from pipeline_runs
    where chained_at is null and status in ('succeeded', 'partial')
      and finished_at < now() - ${FOLLOW_UP_GRACE}::interval`;
  for (const run of unchained) await followUp(ctx, run);
  return unfinished.length + unchained.length;
}

/** Jobs a worker could claim now: queued, or running under an expired lease. */
export async function claimableJobs(ctx: PipelineContext): Promise<number> {
  const [row] = await ctx.sql<{ n: number }[]>`
    select count(*)::int as n from pipeline_jobs
    where status = 'queued' or (status = 'running' and locked_until < now())`;
  return row?.n ?? 0;
}
