import type { EngineErrorCode } from '../../engine/errors.js';
import type { ErpEngine } from '../../engine/port.js';
import type { Resources, RunConfig, StepCriticality, StepKey } from '../model.js';

export interface TenantFacts {
  id: string;
  name: string;
  slug: string;
  countryCode: string;
  adminEmail: string;
  adminName: string;
}

export interface StepContext<Input = undefined> {
  engine: ErpEngine;
  tenant: TenantFacts;
  config: RunConfig;
  /** What the run's template asked of this step (stored with the run when it started). */
  input: Input;
  /** What earlier steps recorded. */
  resources: Readonly<Resources>;
  /** Aborted on the step's timeout and on shutdown: pass it to every engine call. */
  signal: AbortSignal;
}

export interface StepResult {
  message: string;
  resources?: Resources;
  output?: Record<string, unknown>;
}

/**
 * How a step retries transient failures, where it differs from the service's default policy
 * (ProvisioningTuning: STEP_MAX_ATTEMPTS, STEP_RETRY_BUDGET_MS, RETRY_BASE_MS). Delays are in
 * units of RETRY_BASE_MS, so a test that shortens the base shortens every step's delays alike.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** No retry starts later than this after the step's first attempt began, in milliseconds. */
  budgetMs?: number;
  /** The first delay, in units of RETRY_BASE_MS (default 1); then doubling, jittered. */
  baseMultiple?: number;
  /** The longest delay, in units of RETRY_BASE_MS (default 32). */
  capMultiple?: number;
  /** Which transient failures are retried (default: all of them). */
  retryOn?: readonly EngineErrorCode[];
  /** Fewer attempts when the failure has this code (e.g. `ENGINE_NETWORK: 4`); never more than `maxAttempts`. */
  maxAttemptsOn?: Partial<Record<EngineErrorCode, number>>;
}

export interface StepDefinition<Input = undefined> {
  key: StepKey;
  title: string;
  criticality: StepCriticality;
  /**
   * Steps that must be COMPLETED or SKIPPED before this one starts; the executor runs every step
   * whose dependencies are done, several at once. Those a template leaves out do not count.
   */
  dependsOn: readonly StepKey[];
  /** Per attempt (times STEP_TIMEOUT_SCALE); the engine call is aborted when it runs out. */
  timeoutMs: number;
  retry?: RetryPolicy;
  /**
   * A reason not to run at all (the step is SKIPPED, never started), from the run's config and
   * what it recorded so far: for a deprovisioning, everything it takes down.
   */
  skipReason?(config: RunConfig, resources: Readonly<Resources>): string | undefined;
  run(context: StepContext<Input>): Promise<StepResult>;
}

/** A step of any input, as the catalogue and the executor hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStepDefinition = StepDefinition<any>;

/** The value a step needs from an earlier one; missing means the plan ran out of order. */
export function required<K extends keyof Resources>(resources: Readonly<Resources>, key: K): NonNullable<Resources[K]> {
  const value = resources[key];
  if (value === undefined || value === null) {
    throw new Error(`Provisioning resource "${key}" is missing: the step that records it has not completed.`);
  }
  return value as NonNullable<Resources[K]>;
}
