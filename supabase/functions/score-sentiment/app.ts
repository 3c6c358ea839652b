import { createStageApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The score-sentiment function's app: starts and drains the sentiment stage. */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createStageApp('score-sentiment', 'sentiment', ctx, opts);
