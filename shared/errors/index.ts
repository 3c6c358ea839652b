/** Stable error codes; the HTTP layer maps each to one status. */
export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'method_not_allowed',
  'conflict',
  'unauthorized',
  'forbidden',
  'provider_unavailable',
  'provider_rejected',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  provider_unavailable: 503,
  provider_rejected: 502,
  internal: 500,
};

/** An error that says what went wrong (`code`), whether retrying can help, and optional details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { retryable?: boolean; details?: unknown } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? this.code === 'provider_unavailable';
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/** One readable line for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

/** Formats zod-style issues as `path: message; ...`. */
export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
