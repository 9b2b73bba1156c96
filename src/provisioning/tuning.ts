import { MINUTE, SECOND } from '../lib/time.js';

/** Knobs of the orchestrator, read from the environment by the server's config. */
export interface ProvisioningTuning {
  leaseMs: number;
  sweepIntervalMs: number;
  /** First delay before a step retries; doubles per retry, jittered, at most 32 times this. */
  retryBaseMs: number;
  /** Attempts per step in all, unless the step declares fewer. */
  stepMaxAttempts: number;
  /** No retry of a step starts later than this after its first attempt began. */
  stepRetryBudgetMs: number;
  /** Multiplies every step's per-attempt timeout (a slow engine wants more). */
  stepTimeoutScale: number;
  engineTimeoutMs: number;
  maxConcurrentEngineCalls: number;
  shutdownGraceMs: number;
  /** Runs executing against the engine at once, all replicas together; the rest wait QUEUED. */
  engineMaxActiveRuns: number;
  /** Runs executing at once in this process. */
  maxActiveRunsPerProcess: number;
  /** Steps of one run executing at once (those whose dependencies are done). */
  maxParallelSteps: number;
}

/**
 * The retry default rides out an engine that fails a quarter of its requests (20% 5xx, 5%
 * timeouts) and answers 429 in bursts: an attempt makes up to four requests, so it fails about
 * two times in three, and 50 attempts leave a step failing by chance about 4 times in 10^9
 * (0.68^50); the 30-minute budget binds first only when attempts are slow (each one waits out
 * a step timeout), as Temporal bounds retries by time.
 */
export const DEFAULT_TUNING: ProvisioningTuning = {
  leaseMs: 30 * SECOND,
  sweepIntervalMs: 5 * SECOND,
  retryBaseMs: 1 * SECOND,
  stepMaxAttempts: 50,
  stepRetryBudgetMs: 30 * MINUTE,
  stepTimeoutScale: 1,
  engineTimeoutMs: 2 * MINUTE,
  maxConcurrentEngineCalls: 16,
  shutdownGraceMs: 10 * SECOND,
  engineMaxActiveRuns: 20,
  maxActiveRunsPerProcess: 50,
  maxParallelSteps: 4,
};
