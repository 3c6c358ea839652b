import { z } from 'zod';
import { parseInput } from '../http/errors.ts';
import type { RunRow, StageHandler, StageRun } from '../pipeline/types.ts';

/** The assets a job works on (`assets.id`; payloads carry ids, not symbols). */
export const AssetIds = z.array(z.number().int().positive()).min(1);

/**
 * A run with its params parsed by its stage's schema. Parameters that do not fit are an
 * `invalid_input` AppError, which is not retryable: the queue parks the job at once.
 */
export function stageRun<P>(handler: Pick<StageHandler<P, unknown>, 'params'>, run: RunRow): StageRun<P> {
  return { ...run, params: parseInput(handler.params, run.params, `${run.stage} run parameters`) };
}

/** A job's payload parsed by its stage's schema; a payload that does not fit is a non-retryable `invalid_input`. */
export function jobPayload<J>(
  handler: Pick<StageHandler<unknown, J>, 'payload' | 'stage'>,
  payload: unknown,
): J {
  return parseInput(handler.payload, payload, `${handler.stage} job payload`);
}
