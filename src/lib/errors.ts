/**
 * Errors a caller can act on carry one of these codes (the GraphQL contract's
 * `extensions.code`); anything else is a bug and is masked as INTERNAL_SERVER_ERROR.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'INVALID_STATE'
  | 'STEP_NOT_SKIPPABLE'
  | 'ENGINE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'SUBSCRIBER_TOO_SLOW'
  | 'INTERNAL_SERVER_ERROR';

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe to show the caller: e.g. `{ field: 'adminEmail' }`. */
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('NOT_FOUND', `${what} ${id} does not exist. Check the id, or list what exists first.`, { id });

export const forbidden = (message = 'You may not see or change this tenant. Sign in as its tenant admin or as a platform admin.') =>
  new AppError('FORBIDDEN', message);

export const unauthenticated = (message = 'Sign in first: call the login mutation and send its token as "Authorization: Bearer <token>".') =>
  new AppError('UNAUTHENTICATED', message);

/**
 * Turns anything thrown (strings, plain objects, errors of another realm such as Node's own
 * socket errors seen from Jest's VM modules) into an Error of this realm, keeping its code.
 */
export function toError(thrown: unknown): Error & { code?: unknown } {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  if (isErrorLike(thrown)) {
    return Object.assign(new Error(thrown.message, { cause: thrown }), { name: thrown.name ?? 'Error', code: thrown.code });
  }
  return new Error(`Non-error thrown: ${safeStringify(thrown)}`);
}

/** A PostgreSQL unique violation (23505), optionally on a given constraint or index. */
export function isUniqueViolation(thrown: unknown, constraint?: string): boolean {
  const error = toError(thrown) as Error & { code?: unknown; constraint?: unknown };
  const pgCode = error.code ?? (error.cause as { code?: unknown } | undefined)?.code;
  if (pgCode !== '23505') return false;
  if (!constraint) return true;
  const name = error.constraint ?? (error.cause as { constraint?: unknown } | undefined)?.constraint;
  return name === constraint || error.message.includes(constraint);
}

function isErrorLike(value: unknown): value is { message: string; name?: string; code?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** SQLSTATE classes and client errors that mean "the database is unreachable right now". */
const DATABASE_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
/**
 * Class 08 is "connection exception", but 08P01 (protocol violation) is what PostgreSQL answers
 * a statement carrying a NUL byte: bad input on a healthy connection, not an outage.
 */
const NOT_AN_OUTAGE_CODES = new Set(['08P01']);

export function isDatabaseUnavailable(thrown: unknown): boolean {
  for (let error: unknown = thrown, depth = 0; error && depth < 5; error = (error as { cause?: unknown }).cause, depth++) {
    const { code, message } = toError(error);
    if (typeof code === 'string' && NOT_AN_OUTAGE_CODES.has(code)) return false;
    if (typeof code === 'string' && (DATABASE_UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (/Connection terminated|connection error|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message)) return true;
  }
  return false;
}
