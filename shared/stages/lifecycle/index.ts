import { runLifecycleCycle } from '../../lifecycle/cycle.ts';
import type { StageHandler } from '../../pipeline/types.ts';
import { LifecycleJob, LifecycleParams } from './input.ts';

/** The lifecycle stage: one job per hour proposes, backtests and gates strategies and advances paper and live. */
export const lifecycleStage: StageHandler<LifecycleParams, LifecycleJob> = {
  stage: 'lifecycle',
  description: 'propose strategies, backtest and gate them, advance paper and live ones (hourly)',
  params: LifecycleParams,
  payload: LifecycleJob,
  async plan(_ctx, run) {
    return [{ hour: run.params.hour }];
  },
  async process(ctx, run, job) {
    const out = await runLifecycleCycle(ctx, job.hour, run.run_date, run.id);
    return { counts: { ...out }, assetErrors: [] };
  },
};
