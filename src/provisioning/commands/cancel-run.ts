import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { lockLatestRun } from '../db/load-run.js';
import { lockTenant } from '../db/lock-tenant.js';
import { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import { ACTIVE_RUN_STATUSES } from '../model.js';
import { toView, type ProvisioningView } from '../run-view.js';
import { noRunYet, tenantNotFound } from './errors.js';

/**
 * Asks the run to stop after its running step. The executor learns of it at its next
 * transition (or, when nobody executes the run, the process that resumes it does) and ends
 * the run CANCELLED with its event.
 */
export async function requestCancel(em: EntityManager, input: { tenantId: string }): Promise<ProvisioningView> {
  return em.fork().transactional(async (tx) => {
    const tenant = await lockTenant(tx, input.tenantId);
    if (!tenant) throw tenantNotFound(input.tenantId);
    const run = await lockLatestRun(tx, input.tenantId);
    if (!run) throw noRunYet(input.tenantId);
    if (!ACTIVE_RUN_STATUSES.includes(run.status)) {
      throw new AppError('INVALID_STATE', `The latest run is ${run.status}; there is nothing running to cancel.`);
    }
    await tx.nativeUpdate(ProvisioningRun, { id: run.id }, { cancelRequested: true });
    return toView(run, tenant.lastEventSeq);
  });
}
