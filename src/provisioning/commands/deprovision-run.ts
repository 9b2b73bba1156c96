import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { lockTenant } from '../db/lock-tenant.js';
import { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import { ACTIVE_RUN_STATUSES, DeprovisionMode, RunKind, RunStatus, type Resources } from '../model.js';
import { activeTenantStatus, runMessage } from '../run-kinds.js';
import type { ProvisioningView } from '../run-view.js';
import { createDeprovisionRun } from '../runs.js';
import type { RecordTransition, TransitionWriter } from '../transitions/transition-writer.js';
import { admitOrQueue, type Admission } from './admit.js';
import { runInProgress, tenantNotFound } from './errors.js';
import { conflictOnSecondActiveRun } from './start-run.js';

/** What the decisions here read of each of the tenant's runs. */
type RunSummary = Pick<ProvisioningRun, 'kind' | 'deprovisionMode' | 'status' | 'resources'>;

export interface DeprovisionInput {
  tenantId: string;
  mode: DeprovisionMode;
  actor: string;
  admission: Admission;
}

/**
 * deprovisionTenant: a run like any other (leased, retried, resumed, cancellable), whose steps
 * come from its mode and act on what provisioning recorded, copied into it here, in the same
 * transaction as its first event. The tenant is DEPROVISIONING from acceptance on.
 */
export async function deprovisionRun(writer: TransitionWriter, em: EntityManager, input: DeprovisionInput): Promise<{ view: ProvisioningView; admitted: boolean }> {
  try {
    return await writer.transaction(em, async (tx, record) => {
      if (!(await lockTenant(tx, input.tenantId))) throw tenantNotFound(input.tenantId);
      const runs = await tx.find(
        ProvisioningRun,
        { tenant: input.tenantId },
        { orderBy: { startedAt: 'asc', createdAt: 'asc' }, fields: ['kind', 'deprovisionMode', 'status', 'type', 'template', 'config', 'resources'], disableIdentityMap: true },
      );
      const latest = runs.at(-1);
      if (latest && ACTIVE_RUN_STATUSES.includes(latest.status)) throw runInProgress(latest.id);
      if (latest && isDone(latest, input.mode)) throw alreadyDeprovisioned(input.tenantId, latest.deprovisionMode!);
      const provisioned = runs.filter((run) => run.kind === RunKind.PROVISION).at(-1);
      if (!provisioned) {
        throw new AppError('INVALID_STATE', `Tenant ${input.tenantId} has never been provisioned: there is nothing to deprovision.`, { tenantId: input.tenantId });
      }
      const resources = provisionedResources(runs);
      if (Object.keys(resources).length === 0) {
        throw new AppError(
          'INVALID_STATE',
          `Tenant ${input.tenantId}'s provisioning recorded nothing in the engine since it was last removed: there is nothing to deprovision.`,
          { tenantId: input.tenantId },
        );
      }

      const run = createDeprovisionRun(tx, { tenantId: input.tenantId, mode: input.mode, provisioned, resources, startedBy: input.actor });
      await tx.flush();
      const recordAccepted: RecordTransition = (transition) => record({ ...transition, tenant: { status: activeTenantStatus(run), error: null } });
      return admitOrQueue(tx, recordAccepted, run, { admission: input.admission, schedule: {}, accepted: runMessage(run, `Started by ${input.actor}`) });
    });
  } catch (error) {
    throw conflictOnSecondActiveRun(error, input.tenantId);
  }
}

/** A completed REMOVE left nothing to do; a completed DISABLE leaves only REMOVE to do. */
function isDone(latest: RunSummary, mode: DeprovisionMode): boolean {
  if (latest.kind !== RunKind.DEPROVISION || latest.status !== RunStatus.COMPLETED) return false;
  return latest.deprovisionMode === DeprovisionMode.REMOVE || mode === DeprovisionMode.DISABLE;
}

function alreadyDeprovisioned(tenantId: string, done: DeprovisionMode): AppError {
  const next =
    done === DeprovisionMode.REMOVE
      ? 'Call startProvisioning to provision it again.'
      : 'Call deprovisionTenant with mode REMOVE to delete what provisioning created, or startProvisioning to provision it again.';
  return new AppError('INVALID_STATE', `Tenant ${tenantId} is already deprovisioned (${done}). ${next}`, { tenantId, mode: done });
}

/**
 * What provisioning recorded since the tenant was last removed: each provisioning run's
 * resources over the earlier ones', so a run that stopped short (a reprovisioning that failed
 * half-way, say) does not hide what an earlier run created.
 */
function provisionedResources(runs: readonly RunSummary[]): Resources {
  let resources: Resources = {};
  for (const run of runs) {
    if (run.kind === RunKind.PROVISION) resources = { ...resources, ...run.resources };
    else if (run.deprovisionMode === DeprovisionMode.REMOVE && run.status === RunStatus.COMPLETED) resources = {};
  }
  return resources;
}
