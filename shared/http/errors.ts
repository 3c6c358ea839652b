import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { AppError, type ErrorCode, errorMessage, formatIssues } from '../errors/index.ts';
import { jsonShapeProblem, MAX_BODY_CHARS } from './json-shape.ts';

/** Parses a value with a schema or throws an `invalid_input` AppError with a readable message. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const res = schema.safeParse(value);
  if (!res.success) {
    throw new AppError('invalid_input', `invalid ${what}: ${formatIssues(res.error.issues)}`, {
      details: res.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return res.data;
}

/** Reads a JSON body; a missing, malformed, too long or too deep body is a 400, never a 500. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  if (text.length > MAX_BODY_CHARS) {
    throw new AppError('invalid_input', `request body is longer than ${MAX_BODY_CHARS} characters`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', 'request body is not valid JSON');
  }
  // Checked before any schema sees it: recursive validation of a deep body overflows the stack, and
  // Postgres refuses lone surrogates (so validating and storing a body must refuse them alike).
  const problem = jsonShapeProblem(value);
  if (problem) throw new AppError('invalid_input', `invalid request body: ${problem}`);
  return value;
}

/** The one JSON error shape: a readable message, the stable code clients branch on, optional details. */
export function errorBody(
  code: ErrorCode,
  message: string,
  details?: unknown,
): { error: string; code: ErrorCode; details?: unknown } {
  return details === undefined ? { error: message, code } : { error: message, code, details };
}

/** Maps any thrown error to the one JSON error shape `{ error, code, details? }`. */
export function errorResponse(err: unknown, c: Context, log: (line: string) => void = () => {}): Response {
  if (err instanceof AppError) {
    return c.json(errorBody(err.code, err.message, err.options.details), err.status as ContentfulStatusCode);
  }
  log(`unhandled error on ${c.req.method} ${c.req.path}: ${errorMessage(err)}`);
  return c.json(errorBody('internal', 'internal error'), 500);
}
