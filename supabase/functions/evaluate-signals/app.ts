import { createStageApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The evaluate-signals function's app: starts and drains the signals stage. */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createStageApp('evaluate-signals', 'signals', ctx, opts);
