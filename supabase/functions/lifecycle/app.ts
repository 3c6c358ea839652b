import { LifecycleCycleRequest } from '../../../shared/api/contracts/lifecycle.ts';
import { lifecycleRunCycle } from '../../../shared/api/lifecycle.ts';
import { parseInput } from '../../../shared/http/errors.ts';
import { createDrainApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The lifecycle function's app: queues this hour's cycle (the body of POST /lifecycle/cycles) and drains the queue. */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createDrainApp('lifecycle', ctx, opts, async (raw) => ({
    cycle: await lifecycleRunCycle(ctx, parseInput(LifecycleCycleRequest, raw ?? {}, 'request body').date),
  }));
