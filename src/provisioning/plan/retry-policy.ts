import { TRANSIENT_CODES, type EngineErrorCode } from '../../engine/errors.js';
import type { ProvisioningTuning } from '../tuning.js';
import type { RetryPolicy } from './step-definition.js';

/** Retry delays double from the first up to a cap (by default 32 times the base: 32 s at 1 s). */
export const BACKOFF_FACTOR = 2;
const DEFAULT_CAP_MULTIPLE = 32;

/** A step's retry policy with the service's defaults filled in, in milliseconds. */
export interface EffectiveRetryPolicy {
  maxAttempts: number;
  budgetMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  retryOn: EngineErrorCode[];
  maxAttemptsOn: Array<{ code: EngineErrorCode; attempts: number }>;
}

/**
 * Checks a step's declared policy when the catalogue loads, so a mistake in one stops the service
 * at start with the step and the field named, instead of surfacing as odd retries in production.
 */
export function assertValidRetryPolicy(step: string, policy: RetryPolicy | undefined): void {
  if (!policy) return;
  const positive = (field: string, value: number | undefined, integer: boolean) => {
    if (value === undefined) return;
    if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new TypeError(`${step}: retry.${field} must be a positive ${integer ? 'integer' : 'number'} (got ${value}).`);
    }
  };
  positive('maxAttempts', policy.maxAttempts, true);
  positive('budgetMs', policy.budgetMs, false);
  positive('baseMultiple', policy.baseMultiple, false);
  positive('capMultiple', policy.capMultiple, false);
  for (const [code, attempts] of Object.entries(policy.maxAttemptsOn ?? {})) positive(`maxAttemptsOn.${code}`, attempts, true);
  if ((policy.capMultiple ?? DEFAULT_CAP_MULTIPLE) < (policy.baseMultiple ?? 1)) {
    throw new TypeError(`${step}: retry.capMultiple must be at least retry.baseMultiple.`);
  }
  for (const code of [...(policy.retryOn ?? []), ...Object.keys(policy.maxAttemptsOn ?? {})]) {
    if (!TRANSIENT_CODES.has(code as EngineErrorCode)) {
      throw new TypeError(`${step}: ${code} is not a transient error code; only ${[...TRANSIENT_CODES].join(', ')} may be retried.`);
    }
  }
}

export function effectiveRetryPolicy(
  policy: RetryPolicy | undefined,
  tuning: Pick<ProvisioningTuning, 'stepMaxAttempts' | 'stepRetryBudgetMs' | 'retryBaseMs'>,
): EffectiveRetryPolicy {
  const maxAttempts = policy?.maxAttempts ?? tuning.stepMaxAttempts;
  return {
    maxAttempts,
    budgetMs: policy?.budgetMs ?? tuning.stepRetryBudgetMs,
    firstDelayMs: tuning.retryBaseMs * (policy?.baseMultiple ?? 1),
    maxDelayMs: tuning.retryBaseMs * (policy?.capMultiple ?? DEFAULT_CAP_MULTIPLE),
    retryOn: [...(policy?.retryOn ?? TRANSIENT_CODES)],
    maxAttemptsOn: Object.entries(policy?.maxAttemptsOn ?? {}).map(([code, attempts]) => ({ code: code as EngineErrorCode, attempts: Math.min(attempts, maxAttempts) })),
  };
}

/** Whether a failure with `code` of attempt `attemptNumber` (from 1) is followed by another. */
export function retriesAfter(policy: EffectiveRetryPolicy, code: string, attemptNumber: number): boolean {
  if (!policy.retryOn.includes(code as EngineErrorCode)) return false;
  const limit = policy.maxAttemptsOn.find((entry) => entry.code === code)?.attempts ?? policy.maxAttempts;
  return attemptNumber < limit;
}
