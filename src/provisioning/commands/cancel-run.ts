import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { lockLatestRun } from '../db/load-run.js';
import { lockTenant } from '../db/lock-tenant.js';
import { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import { ACTIVE_RUN_STATUSES, RunStatus, WAITING_RUN_STATUSES } from '../model.js';
import { runEnd } from '../run-kinds.js';
import { toView, type ProvisioningView } from '../run-view.js';
import type { TransitionWriter } from '../transitions/transition-writer.js';
import { noRunYet, tenantNotFound } from './errors.js';

/**
 * cancelProvisioning. A run still waiting (QUEUED, SCHEDULED) is cancelled at once. An
 * executing one is asked to stop after its running step: the executor learns of it at its next
 * transition (or, when nobody executes the run, the process that resumes it does) and ends the
 * run CANCELLED with its event.
 */
export async function cancelRun(writer: TransitionWriter, em: EntityManager, input: { tenantId: string; actor: string }): Promise<ProvisioningView> {
  return writer.transaction(em, async (tx, record) => {
    const tenant = await lockTenant(tx, input.tenantId);
    if (!tenant) throw tenantNotFound(input.tenantId);
    const run = await lockLatestRun(tx, input.tenantId);
    if (!run) throw noRunYet(input.tenantId);
    if (!ACTIVE_RUN_STATUSES.includes(run.status)) {
      throw new AppError('INVALID_STATE', `The latest run is ${run.status}; there is nothing running to cancel.`);
    }
    if (WAITING_RUN_STATUSES.includes(run.status)) {
      Object.assign(run, { status: RunStatus.CANCELLED, completedAt: new Date() });
      const end = runEnd(run, RunStatus.CANCELLED);
      const { event } = await record({
        run,
        event: { type: end.type, message: `Cancelled by ${input.actor} before it started. ${end.message}` },
        tenant: end.tenant,
        author: { command: true },
      });
      return event.provisioning!;
    }
    await tx.nativeUpdate(ProvisioningRun, { id: run.id }, { cancelRequested: true });
    return toView(run, tenant.lastEventSeq);
  });
}
