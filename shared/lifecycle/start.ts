import { latestCompleteDay } from '../calendar/index.ts';
import type { AssetType } from '../domain/market.ts';
import { AppError } from '../errors/index.ts';
import { startRun } from '../pipeline/queue.ts';
import type { PipelineContext, RunRow } from '../pipeline/types.ts';
import { loadLifecycleConfig } from './config.ts';

/** The hour `at` falls in, as an ISO timestamp on the hour (the label that seeds its proposals). */
export function hourOf(at: Date): string {
  const h = new Date(at);
  h.setUTCMinutes(0, 0, 0);
  return h.toISOString();
}

/**
 * Queues the lifecycle cycle of the hour `at` falls in over the configured universe, as of `date` (default:
 * the market's latest complete day). A run of the same day that finished is run again for the new hour;
 * one still running is left alone (that hour is skipped, the next one catches up).
 */
export async function startLifecycleCycle(
  ctx: PipelineContext,
  opts: { at?: Date; date?: string } = {},
): Promise<{ run: RunRow; created: boolean; hour: string }> {
  const at = opts.at ?? new Date();
  const config = await loadLifecycleConfig(ctx.sql);
  const [universe] = await ctx.sql<{ asset_type: AssetType }[]>`
    select asset_type from universes where id = ${config.universe}`;
  if (!universe) throw new AppError('invalid_input', `unknown universe "${config.universe}"`);
  const hour = hourOf(at);
  const date = opts.date ?? latestCompleteDay(universe.asset_type, at);
  const started = await startRun(ctx, {
    stage: 'lifecycle',
    date,
    universe: config.universe,
    chain: false,
    params: { hour },
    rerun: true,
    now: at,
  });
  return { ...started, hour };
}
