import { MINUTE, SECOND } from '../lib/time.js';

/** Knobs of the orchestrator, read from the environment by the server's config. */
export interface ProvisioningTuning {
  leaseMs: number;
  sweepIntervalMs: number;
  retryBaseMs: number;
  retries: number;
  engineTimeoutMs: number;
  maxConcurrentEngineCalls: number;
  shutdownGraceMs: number;
}

export const DEFAULT_TUNING: ProvisioningTuning = {
  leaseMs: 30 * SECOND,
  sweepIntervalMs: 5 * SECOND,
  retryBaseMs: 1 * SECOND,
  retries: 3,
  engineTimeoutMs: 2 * MINUTE,
  maxConcurrentEngineCalls: 16,
  shutdownGraceMs: 10 * SECOND,
};
