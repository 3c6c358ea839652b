import { createStageApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The trade function's app: starts and drains the trade stage (every paper portfolio to the date). */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createStageApp('trade', 'trade', ctx, opts);
