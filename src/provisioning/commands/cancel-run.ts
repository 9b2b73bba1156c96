import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { loadLatestRun } from '../db/load-run.js';
import { inTransaction } from '../db/sql.js';
import { lockTenant } from '../db/update-tenant-status.js';
import { ACTIVE_RUN_STATUSES } from '../model.js';
import { toView, type ProvisioningView } from '../run-state.js';
import { noRunYet, tenantNotFound } from './errors.js';

/**
 * Asks the run to stop after its running step. The executor learns of it at its next
 * transition (or, when nobody executes the run, the process that resumes it does) and ends
 * the run CANCELLED with its event.
 */
export async function requestCancel(em: EntityManager, input: { tenantId: string }): Promise<{ runId: string; view: ProvisioningView }> {
  return inTransaction(em, async (sql) => {
    const tenant = await lockTenant(sql, input.tenantId);
    if (!tenant) throw tenantNotFound(input.tenantId);
    const latest = await loadLatestRun(sql, input.tenantId, { forUpdate: true });
    if (!latest) throw noRunYet(input.tenantId);
    if (!ACTIVE_RUN_STATUSES.includes(latest.state.status)) {
      throw new AppError('INVALID_STATE', `The latest run is ${latest.state.status}; there is nothing running to cancel.`);
    }
    await sql(`UPDATE provisioning_run SET cancel_requested = true, updated_at = now() WHERE id = ?`, [latest.state.id]);
    return { runId: latest.state.id, view: toView(latest.state, tenant.lastEventSeq) };
  });
}
