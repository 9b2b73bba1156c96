import { retry } from '../../lib/retry.js';
import type { RetryPolicy } from '../plan/step-definition.js';
import type { ProvisioningTuning } from '../tuning.js';
import { classifyFailure, type Failure } from './failure.js';

/** Retry delays double from the base up to 32 times it (1 s base: at most 32 s). */
const BACKOFF_FACTOR = 2;
const MAX_BACKOFF_MULTIPLE = 32;

export interface AttemptOptions<T> {
  step: string;
  /** The step's own policy; what it leaves out comes from the service's tuning. */
  policy: RetryPolicy | undefined;
  tuning: Pick<ProvisioningTuning, 'stepMaxAttempts' | 'stepRetryBudgetMs' | 'retryBaseMs'>;
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
  const maxAttemptsOn = options.policy?.maxAttemptsOn ?? {};
  // Whether the failure of attempt `attemptNumber` (1-based) is followed by another attempt.
  const retryable = (thrown: unknown, attemptNumber: number) => {
    const failure = classifyFailure(thrown, options.step);
    const limit = maxAttemptsOn[failure.code as keyof typeof maxAttemptsOn] ?? Number.POSITIVE_INFINITY;
    return failure.errorClass === 'transient' && attemptNumber < limit && !options.signal.aborted;
  };
  // What onRetry throws (a lost lease, a database gone for too long) is not the step's failure.
  let interrupted: { error: unknown } | undefined;
  try {
    const value = await retry(options.attempt, {
      retries: (options.policy?.maxAttempts ?? options.tuning.stepMaxAttempts) - 1,
      maxRetryTime: options.policy?.budgetMs ?? options.tuning.stepRetryBudgetMs,
      factor: BACKOFF_FACTOR,
      minTimeout: options.tuning.retryBaseMs,
      // Without a cap the delay doubles forever while the lease keeps the run from anyone else.
      maxTimeout: options.tuning.retryBaseMs * MAX_BACKOFF_MULTIPLE,
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
