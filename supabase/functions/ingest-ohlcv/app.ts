import { createStageApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The ingest-ohlcv function's app: starts and drains the ingest stage. */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createStageApp('ingest-ohlcv', 'ingest', ctx, opts);
