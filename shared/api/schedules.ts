import { AppError } from '../errors/index.ts';
import type { PipelineContext } from '../pipeline/types.ts';
import type { ScheduleList, SchedulePatch, ScheduleView } from './contracts/schedules.ts';

const TIMESTAMP = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** Every schedule, as pg_cron (or the local scheduler) runs them. */
export async function listSchedules(ctx: PipelineContext): Promise<ScheduleList> {
  const items = await ctx.sql<ScheduleView[]>`
    select id, description, cron, action, universes, enabled,
      to_char(last_run_at at time zone 'UTC', ${ctx.sql.unsafe(TIMESTAMP)}) as last_run_at,
      to_char(updated_at at time zone 'UTC', ${ctx.sql.unsafe(TIMESTAMP)}) as updated_at
    from pipeline_schedules order by id`;
  return { items };
}

/**
 * Enables, disables or reschedules one schedule (the cron is validated by the body schema). Only the
 * row changes: a database trigger keeps pg_cron in step, and the local scheduler reads the rows.
 */
export async function updateSchedule(
  ctx: PipelineContext,
  id: string,
  patch: SchedulePatch,
): Promise<ScheduleView> {
  const { sql } = ctx;
  const [row] = await sql<{ id: string }[]>`
    update pipeline_schedules
    set enabled = coalesce(${patch.enabled ?? null}::boolean, enabled),
        cron = coalesce(${patch.cron?.trim() ?? null}::text, cron),
        updated_at = now()
    where id = ${id}
    returning id`;
  if (!row) throw new AppError('not_found', `no schedule "${id}"`);
  ctx.log(`schedule ${id} updated: ${JSON.stringify(patch)}`);
  const { items } = await listSchedules(ctx);
  return items.find((s) => s.id === id)!;
}
