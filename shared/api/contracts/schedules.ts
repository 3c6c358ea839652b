// /schedules: the pipeline_schedules rows pg_cron (or the local scheduler) runs.
import { z } from 'zod';
import { parseCron } from '../../pipeline/cron.ts';

/** Path of /schedules/:id. */
export const SchedulePath = z
  .object({ id: z.string().regex(/^[a-z0-9_]{1,64}$/, 'not a schedule id') })
  .strict();

/** A `pipeline_schedules` row: what pg_cron (or the local scheduler) starts, and when. */
export const ScheduleView = z.object({
  id: z.string(),
  description: z.string(),
  cron: z.string(),
  action: z.enum(['pipeline', 'drain', 'watchdog', 'cleanup', 'lifecycle']),
  universes: z.array(z.string()),
  enabled: z.boolean(),
  last_run_at: z.string().nullable(),
  updated_at: z.string(),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

/** GET /schedules. */
export const ScheduleList = z.object({ items: z.array(ScheduleView) });
export type ScheduleList = z.infer<typeof ScheduleList>;

/** A 5-field cron expression as pg_cron reads it (minute hour day month weekday, UTC). */
export const CronExpression = z
  .string()
  .max(100)
  .superRefine((expr, ctx) => {
    try {
      parseCron(expr);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.slice(0, 200) });
    }
  });

/** Body of PATCH /schedules/:id: at least one of the two. */
export const SchedulePatch = z
  .object({ enabled: z.boolean().optional(), cron: CronExpression.optional() })
  .strict()
  .refine((b) => b.enabled !== undefined || b.cron !== undefined, { message: 'give enabled and/or cron' });
export type SchedulePatch = z.infer<typeof SchedulePatch>;
