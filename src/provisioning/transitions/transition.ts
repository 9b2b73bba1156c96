import type { TenantProvisioningStatus } from '../../tenants/model.js';
import type { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import type { ProvisioningStep } from '../entities/provisioning-step.entity.js';
import type { EventRecord } from '../events/event-record.js';
import type { EventType, StepKey } from '../model.js';

/** Why a step attempt failed: retried (transient), not retried (permanent), or our bug (internal). */
export type ErrorClass = 'transient' | 'permanent' | 'internal';

/**
 * Who writes a transition. An executor writes only while it holds the run's lease; a command
 * holds the run's row lock instead, writes the run's cancel flag, priority and schedule, and may
 * hand the lease to the process that will execute the run, or put the run in the queue.
 */
export type TransitionAuthor =
  | { leaseOwner: string }
  | {
      command: true;
      /** Hands the run to this process to execute. */
      lease?: { owner: string; ms: number };
      /** The run joins the queue now (its place among equal priorities). */
      enqueue?: boolean;
    };

/** One state change of a run and the event that describes it. */
export interface Transition {
  /** The run as it is after the change. */
  run: ProvisioningRun;
  /** Steps whose row changed. */
  steps?: readonly ProvisioningStep[];
  /** `step`: the step the event is about (STEP_* events). */
  event: { type: EventType; step?: StepKey | null; message: string };
  /** Set when the tenant's provisioning status changes with this transition. */
  tenant?: { status: TenantProvisioningStatus; error: string | null };
  author: TransitionAuthor;
  /** For the log line and metrics: the class of the failure a STEP_RETRYING/STEP_FAILED reports. */
  errorClass?: ErrorClass;
}

export interface CommittedTransition {
  transition: Transition;
  event: EventRecord;
  /** Read in the same statement: an executor learns of a cancel at its next transition. */
  cancelRequested: boolean;
}

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(runId: string) {
    super(`Run ${runId} is no longer leased to this process: another one has taken it over.`);
  }
}

/** A step start (or skip) left unwritten because its run was asked to cancel. */
export class StartRefusedError extends Error {
  override readonly name = 'StartRefusedError';
  constructor(runId: string, step: StepKey | null | undefined) {
    super(`Run ${runId} was asked to cancel: step ${step ?? '?'} does not start.`);
  }
}
