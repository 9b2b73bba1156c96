import { TenantProvisioningStatus } from '../tenants/model.js';
import type { ProvisioningRun } from './entities/provisioning-run.entity.js';
import { DeprovisionMode, EventType, RunKind, RunStatus } from './model.js';

/** What decides how a run reads and what it makes of its tenant. */
type KindOf = Pick<ProvisioningRun, 'kind' | 'deprovisionMode'>;

export type RunEnd = RunStatus.COMPLETED | RunStatus.PARTIAL | RunStatus.FAILED | RunStatus.CANCELLED;

const END_EVENTS: Record<RunEnd, EventType> = {
  [RunStatus.COMPLETED]: EventType.RUN_COMPLETED,
  [RunStatus.PARTIAL]: EventType.RUN_PARTIAL,
  [RunStatus.FAILED]: EventType.RUN_FAILED,
  [RunStatus.CANCELLED]: EventType.RUN_CANCELLED,
};

/**
 * The tenant after its run ended. A run that stopped short leaves the tenant as a provisioning
 * that stopped short does, whichever way it went: FAILED and PARTIAL need a person, and a
 * cancelled one is NOT_PROVISIONED (neither set up nor taken down), from where startProvisioning,
 * deprovisionTenant or continuing the run all work.
 */
const TENANT_AFTER: Record<RunKind, Record<RunEnd, TenantProvisioningStatus>> = {
  [RunKind.PROVISION]: {
    [RunStatus.COMPLETED]: TenantProvisioningStatus.PROVISIONED,
    [RunStatus.PARTIAL]: TenantProvisioningStatus.PARTIAL,
    [RunStatus.FAILED]: TenantProvisioningStatus.FAILED,
    [RunStatus.CANCELLED]: TenantProvisioningStatus.NOT_PROVISIONED,
  },
  [RunKind.DEPROVISION]: {
    [RunStatus.COMPLETED]: TenantProvisioningStatus.DEPROVISIONED,
    [RunStatus.PARTIAL]: TenantProvisioningStatus.PARTIAL,
    [RunStatus.FAILED]: TenantProvisioningStatus.FAILED,
    [RunStatus.CANCELLED]: TenantProvisioningStatus.NOT_PROVISIONED,
  },
};

const COMPLETED_DEPROVISIONING: Record<DeprovisionMode, string> = {
  [DeprovisionMode.DISABLE]: 'the POS sessions are closed, the POS profile and the engine user disabled; the company and its books are kept',
  [DeprovisionMode.REMOVE]: 'what provisioning created is deleted, but for what ERPNext keeps (each step says what and why)',
};

/** How run-level messages name the run: "Provisioning", or "Deprovisioning (REMOVE)". */
export function runTitle(run: KindOf): string {
  return run.kind === RunKind.DEPROVISION ? `Deprovisioning (${run.deprovisionMode})` : 'Provisioning';
}

/** The tenant's status from the moment a run is accepted until it ends. */
export function activeTenantStatus(run: KindOf): TenantProvisioningStatus {
  return run.kind === RunKind.DEPROVISION ? TenantProvisioningStatus.DEPROVISIONING : TenantProvisioningStatus.PROVISIONING;
}

/**
 * A run-level event's message (accepted, started, resumed, queued): a provisioning's as it always
 * read, a deprovisioning's led by its title, so nobody following the tenant mistakes one for the other.
 */
export function runMessage(run: KindOf, message: string): string {
  if (run.kind !== RunKind.DEPROVISION) return message;
  return `${runTitle(run)}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

export function cancelledMessage(run: KindOf): string {
  return `${runTitle(run)} cancelled; continue or retry it to resume where it stopped.`;
}

/**
 * A run's last event and what it makes of the tenant. `stoppedAt`: for FAILED, the step that
 * stopped the run and its error; for PARTIAL, the failed steps.
 */
export function runEnd(
  run: KindOf,
  status: RunEnd,
  stoppedAt = '',
): { type: EventType; message: string; tenant: { status: TenantProvisioningStatus; error: string | null } } {
  const title = runTitle(run);
  const message = {
    [RunStatus.COMPLETED]: run.kind === RunKind.DEPROVISION ? `${title} completed: ${COMPLETED_DEPROVISIONING[run.deprovisionMode!]}` : `${title} completed: ready to sell`,
    [RunStatus.PARTIAL]: `${title} finished with failed non-critical steps: ${stoppedAt}. Retry, continue or skip them.`,
    [RunStatus.FAILED]: `${title} failed at ${stoppedAt}. Fix the cause, then retry.`,
    [RunStatus.CANCELLED]: cancelledMessage(run),
  }[status];
  return { type: END_EVENTS[status], message, tenant: { status: TENANT_AFTER[run.kind][status], error: status === RunStatus.COMPLETED ? null : message } };
}
