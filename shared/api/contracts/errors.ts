// The error body every HTTP endpoint answers with.
import { z } from 'zod';
import { ERROR_CODES } from '../../errors/index.ts';

/** The one JSON error shape of every HTTP endpoint. */
export const ApiError = z.object({
  error: z.string(),
  /** Stable: clients branch on it, not on the message. */
  code: z.enum(ERROR_CODES),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiError>;
