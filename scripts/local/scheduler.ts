import { runTargets, triggerRun } from '../../shared/api/service.ts';
import { errorMessage } from '../../shared/errors/index.ts';
import { startLifecycleCycle } from '../../shared/lifecycle/start.ts';
import { cronMatches, parseCron } from '../../shared/pipeline/cron.ts';
import { drain } from '../../shared/pipeline/queue.ts';
import type { PipelineContext } from '../../shared/pipeline/types.ts';

interface ScheduleRow {
  id: string;
  cron: string;
  action: 'pipeline' | 'drain' | 'watchdog' | 'cleanup' | 'lifecycle';
  universes: string[];
}

/**
 * Fires the `pipeline_schedules` rows due in this UTC minute (what pg_cron does on Supabase). Drain
 * rows need no firing: the scheduler's worker drains continuously.
 */
export async function fireDueSchedules(ctx: PipelineContext, at: Date): Promise<string[]> {
  const rows = await ctx.sql<
    ScheduleRow[]
  >`select id, cron, action, universes from pipeline_schedules where enabled`;
  const fired: string[] = [];
  for (const s of rows) {
    let due = false;
    try {
      due = cronMatches(parseCron(s.cron), at);
    } catch (err) {
      ctx.log(`schedule ${s.id}: ${errorMessage(err)}`);
    }
    if (!due || s.action === 'drain') continue;
    if (s.action === 'pipeline') {
      for (const universe of s.universes) {
        for (const target of await runTargets(ctx, { universe }, at)) {
          await triggerRun(ctx, { stage: 'pipeline', ...target }, { rerun: false });
        }
      }
    } else if (s.action === 'lifecycle') {
      // What the lifecycle function does when pg_cron calls it: queue this hour's cycle.
      const { run, hour } = await startLifecycleCycle(ctx, { at });
      ctx.log(`schedule ${s.id}: lifecycle ${hour} run ${run.id}`);
    } else {
      // The same SQL functions pg_cron's jobs run on Supabase (migration 20261122000900).
      const [row] =
        s.action === 'watchdog'
          ? await ctx.sql<{ result: unknown }[]>`select stratos.run_watchdog() as result`
          : await ctx.sql<{ result: unknown }[]>`select stratos.run_cleanup() as result`;
      ctx.log(`schedule ${s.id}: ${JSON.stringify(row!.result)}`);
    }
    await ctx.sql`update pipeline_schedules set last_run_at = now() where id = ${s.id}`;
    fired.push(s.id);
  }
  return fired;
}

/**
 * The local stand-in for pg_cron: checks the schedules every minute and keeps a worker draining the
 * queue, using the same code the Edge Functions run. Returns a stop function.
 */
export function startScheduler(ctx: PipelineContext, opts: { pollMs?: number } = {}): () => Promise<void> {
  let stopped = false;
  let lastMinute = -1;
  let current: Promise<void> | null = null;
  const tick = async () => {
    const now = new Date();
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== lastMinute) {
      lastMinute = minute;
      for (const id of await fireDueSchedules(ctx, now)) ctx.log(`schedule ${id} fired`);
    }
    await drain(ctx, { workerId: `local-${process.pid}`, budgetMs: 10_000 });
  };
  const timer = setInterval(() => {
    // One tick at a time: a long drain delays the next tick instead of stacking ticks.
    if (stopped || current) return;
    current = tick()
      .catch((err) => ctx.log(`scheduler: ${errorMessage(err)}`))
      .finally(() => {
        current = null;
      });
  }, opts.pollMs ?? 2000);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await current;
  };
}
