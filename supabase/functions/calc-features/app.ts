import { createStageApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The calc-features function's app: starts and drains the features stage. */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createStageApp('calc-features', 'features', ctx, opts);
