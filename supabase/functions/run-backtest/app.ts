import { startBacktest } from '../../../shared/api/backtests.ts';
import { BacktestRequest } from '../../../shared/api/contracts/backtests.ts';
import { parseInput } from '../../../shared/http/errors.ts';
import { createDrainApp, type StageAppOptions } from '../../../shared/http/stage-app.ts';
import type { PipelineContext } from '../../../shared/pipeline/types.ts';

/** The run-backtest function's app: queues a backtest (the body of POST /backtests) and drains the queue. */
export const createApp = (ctx: PipelineContext, opts: StageAppOptions = {}) =>
  createDrainApp('run-backtest', ctx, opts, async (raw) => ({
    backtest: await startBacktest(ctx, parseInput(BacktestRequest, raw, 'request body')),
  }));
