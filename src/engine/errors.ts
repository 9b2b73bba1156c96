/**
 * Errors from the ERP engine, classified once at the edge so the orchestrator can branch on
 * `retryable` without knowing HTTP. Transient: network error, timeout, 5xx, 429, a response lost
 * after commit. Permanent: 4xx validation, auth, permission, not found.
 */
export type EngineErrorCode =
  | 'ENGINE_NETWORK'
  | 'ENGINE_TIMEOUT'
  | 'ENGINE_RATE_LIMITED'
  | 'ENGINE_SERVER_ERROR'
  | 'ENGINE_AUTH'
  | 'ENGINE_PERMISSION'
  | 'ENGINE_NOT_FOUND'
  | 'ENGINE_DUPLICATE'
  | 'ENGINE_VALIDATION'
  | 'ENGINE_BAD_RESPONSE';

/** Failures that may pass on their own: retried by default. */
export const TRANSIENT_CODES: ReadonlySet<EngineErrorCode> = new Set([
  'ENGINE_NETWORK',
  'ENGINE_TIMEOUT',
  'ENGINE_RATE_LIMITED',
  'ENGINE_SERVER_ERROR',
]);

export interface EngineErrorDetails {
  /** HTTP status, when the engine answered at all. */
  status?: number;
  /** Frappe's `exc_type`, e.g. `LinkValidationError`. */
  excType?: string;
  /** How long the engine asked us to wait (429 Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** `GET /api/resource/Company` style description of the call that failed. */
  operation?: string;
  /** ERPNext's own words for the failure, without HTML: what a person is told. */
  engineMessage?: string;
  cause?: unknown;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;
  readonly status?: number;
  readonly excType?: string;
  readonly retryAfterMs?: number;
  readonly operation?: string;
  readonly engineMessage?: string;

  constructor(code: EngineErrorCode, message: string, details: EngineErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.excType = details.excType;
    this.retryAfterMs = details.retryAfterMs;
    this.operation = details.operation;
    this.engineMessage = details.engineMessage;
  }

  /** Whether doing the same call again may succeed without anybody changing anything. */
  get retryable(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}
