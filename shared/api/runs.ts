import type { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { requeueFailedJobs } from '../pipeline/queue.ts';
import { refuseFutureRunDate } from '../pipeline/run-date.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import type { RunDetail, RunJob } from './contracts/runs.ts';
import { listRuns } from './service.ts';

/** One run with every job (status, attempts, error, timing, chunk size) and its per-asset errors. */
export async function runDetail(ctx: PipelineContext, id: number): Promise<RunDetail> {
  const [run] = await listRuns(ctx, { ids: [id], limit: 1 });
  if (!run) throw new AppError('not_found', `no run ${id}`);
  const { sql } = ctx;
  const jobs = await sql<RunJob[]>`
    select id, chunk, status, attempts, max_attempts, last_error as error,
      to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as started_at,
      case when status in ('done', 'failed')
        then to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end as finished_at,
      case when status in ('done', 'failed') and started_at is not null
        then round(extract(epoch from updated_at - started_at) * 1000)::float8 end as duration_ms,
      case when jsonb_typeof(payload -> 'asset_ids') = 'array'
        then jsonb_array_length(payload -> 'asset_ids') end as size
    from pipeline_jobs where run_id = ${id}
    order by chunk`;
  const assetErrors = await sql<RunDetail['asset_errors']>`
    select a.symbol, a.asset_type, e.kind, e.error
    from pipeline_asset_errors e join assets a on a.id = e.asset_id
    where e.run_id = ${id}
    order by e.kind desc, a.symbol, a.asset_type`;
  return { ...run, job_list: jobs, asset_errors: assetErrors };
}

/**
 * Re-queues a run's failed jobs with fresh attempts; the run is running again, and when its jobs
 * finish it is finalized (and chains on) as any run. A run without failed jobs is a conflict.
 */
export async function retryRun(ctx: PipelineContext, id: number): Promise<RunDetail> {
  const [run] = await ctx.sql<{ run_date: string; asset_type: AssetType }[]>`
    select r.run_date::text as run_date, u.asset_type
    from pipeline_runs r join universes u on u.id = r.universe where r.id = ${id}`;
  if (!run) throw new AppError('not_found', `no run ${id}`);
  // A run stored for a future date before such dates were refused is not run again either.
  refuseFutureRunDate(run.run_date, run.asset_type);
  const requeued = await requeueFailedJobs(ctx, id);
  if (requeued === 0) throw new AppError('conflict', `run ${id} has no failed jobs to retry`);
  ctx.log(`run ${id}: re-queued ${requeued} failed job(s)`);
  return runDetail(ctx, id);
}
