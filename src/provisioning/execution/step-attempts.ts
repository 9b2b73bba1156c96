import { retry } from '../../lib/retry.js';
import { BACKOFF_FACTOR, retriesAfter, type EffectiveRetryPolicy } from '../plan/retry-policy.js';
import { classifyFailure, type Failure } from './failure.js';

export interface AttemptOptions<T> {
  step: string;
  /** The step's policy, the service's defaults filled in. */
  policy: EffectiveRetryPolicy;
  /** Aborted at the shutdown deadline: no further attempt starts and no backoff is waited out. */
  signal: AbortSignal;
  attempt: () => Promise<T>;
  /** Before a retry of a transient failure: the caller records STEP_RETRYING. */
  onRetry: (failure: Failure, delayMs: number) => Promise<void>;
}

/** The step's result, or the classified failure of its last attempt. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/**
 * Runs a step's attempts: transient engine failures are retried with capped, jittered
 * exponential backoff (p-retry), honouring the engine's Retry-After; anything else ends the
 * step at once. Never retries our own bugs.
 */
export async function attemptWithRetries<T>(options: AttemptOptions<T>): Promise<AttemptOutcome<T>> {
  // Whether the failure of attempt `attemptNumber` (1-based) is followed by another attempt.
  const retryable = (thrown: unknown, attemptNumber: number) => {
    const failure = classifyFailure(thrown, options.step);
    return failure.errorClass === 'transient' && retriesAfter(options.policy, failure.code, attemptNumber) && !options.signal.aborted;
  };
  // What onRetry throws (a lost lease, a database gone for too long) is not the step's failure.
  let interrupted: { error: unknown } | undefined;
  try {
    const value = await retry(options.attempt, {
      retries: options.policy.maxAttempts - 1,
      maxRetryTime: options.policy.budgetMs,
      factor: BACKOFF_FACTOR,
      minTimeout: options.policy.firstDelayMs,
      // Without a cap the delay doubles forever while the lease keeps the run from anyone else.
      maxTimeout: options.policy.maxDelayMs,
      randomize: true,
      signal: options.signal,
      shouldRetry: ({ error, attemptNumber }) => retryable(error, attemptNumber),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
        if (retriesLeft === 0 || !retryable(error, attemptNumber)) return;
        const failure = classifyFailure(error, options.step);
        await options.onRetry(failure, retryDelay).catch((error: unknown) => {
          interrupted = { error };
          throw error;
        });
        // The engine asked for a longer pause (429 Retry-After) than our backoff would take.
        const extraWait = (failure.retryAfterMs ?? 0) - retryDelay;
        if (extraWait > 0) await abortableDelay(extraWait, options.signal);
      },
    });
    return { ok: true, value };
  } catch (thrown) {
    if (interrupted) throw interrupted.error;
    return { ok: false, failure: classifyFailure(thrown, options.step) };
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
