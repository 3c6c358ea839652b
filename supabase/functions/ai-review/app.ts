import { createStageApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The ai-review function's app: starts and drains the review stage. */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createStageApp('ai-review', 'review', ctx, opts);
