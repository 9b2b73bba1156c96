import { isEngineError, type EngineError } from '../../engine/errors.js';
import { toError } from '../../lib/errors.js';
import type { ErrorClass } from '../transitions/transition.js';

/** A failed step attempt, classified once: the retry policy and the transition both read it. */
export interface Failure {
  errorClass: ErrorClass;
  code: string;
  /** Shown to clients: an engine error speaks for itself; our bugs are masked. */
  message: string;
  /** How long the engine asked us to wait (429 Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** The original, for the log when it is our bug. */
  cause: Error;
}

export function classifyFailure(thrown: unknown, step: string): Failure {
  if (isEngineError(thrown)) return engineFailure(thrown);
  return {
    errorClass: 'internal',
    code: 'INTERNAL_ERROR',
    message: `Unexpected internal error in step ${step}; details are in the service log.`,
    cause: toError(thrown),
  };
}

function engineFailure(error: EngineError): Failure {
  return {
    errorClass: error.retryable ? 'transient' : 'permanent',
    code: error.code,
    message: error.message,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  };
}
