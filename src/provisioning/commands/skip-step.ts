import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { TenantProvisioningStatus } from '../../tenants/tenant.entity.js';
import { appendEvent } from '../db/append-event.js';
import { loadLatestRun } from '../db/load-run.js';
import { saveRun, saveStep } from '../db/save-state.js';
import { inTransaction } from '../db/sql.js';
import { lockTenant, updateTenantStatus } from '../db/update-tenant-status.js';
import { ACTIVE_RUN_STATUSES, EventType, RunStatus, StepStatus, type StepKey } from '../model.js';
import { isSkippable, stepDefinition } from '../plan/index.js';
import { isStepDone, stepOf, toView, type ProvisioningView } from '../run-state.js';
import { noRunYet, tenantNotFound } from './errors.js';

/**
 * Records that a person chose to go without a non-critical step. When that step was what kept
 * a FAILED or PARTIAL run from completing, the run completes here.
 */
export async function skipStep(
  em: EntityManager,
  input: { tenantId: string; step: StepKey; reason: string | null; actor: string },
): Promise<ProvisioningView> {
  const definition = stepDefinition(input.step);
  if (!isSkippable(definition)) {
    throw new AppError('STEP_NOT_SKIPPABLE', `${input.step} is CRITICAL and cannot be skipped: fix its cause and call retryProvisioning.`, { step: input.step });
  }
  return inTransaction(em, async (sql) => {
    if (!(await lockTenant(sql, input.tenantId))) throw tenantNotFound(input.tenantId);
    const latest = await loadLatestRun(sql, input.tenantId, { forUpdate: true });
    if (!latest) throw noRunYet(input.tenantId);
    const { state, leaseOwner } = latest;
    if (ACTIVE_RUN_STATUSES.includes(state.status)) {
      throw new AppError('INVALID_STATE', 'The run is still in progress: wait for it to stop, or cancel it, before skipping a step.');
    }
    const step = stepOf(state, input.step);
    if (isStepDone(step)) throw new AppError('INVALID_STATE', `${input.step} is already ${step.status}; there is nothing to skip.`, { step: input.step });

    const reason = input.reason?.trim() || `skipped by ${input.actor}`;
    Object.assign(step, { status: StepStatus.SKIPPED, skippedBy: input.actor, skipReason: reason, completedAt: new Date().toISOString(), error: null, errorCode: null });
    let event = await appendEvent(sql, {
      tenantId: input.tenantId,
      runId: state.id,
      type: EventType.STEP_SKIPPED,
      step: step.key,
      message: `${definition.title}: skipped by ${input.actor} (${reason})`,
      view: (seq) => toView(state, seq),
    });
    await saveStep(sql, state.id, step);

    const completes = state.status !== RunStatus.CANCELLED && state.steps.every(isStepDone);
    if (completes) {
      state.status = RunStatus.COMPLETED;
      state.completedAt = new Date().toISOString();
      event = await appendEvent(sql, {
        tenantId: input.tenantId,
        runId: state.id,
        type: EventType.RUN_COMPLETED,
        message: 'Provisioning completed: ready to sell',
        view: (seq) => toView(state, seq),
      });
      await updateTenantStatus(sql, input.tenantId, TenantProvisioningStatus.PROVISIONED, null);
    }
    await saveRun(sql, state, leaseOwner);
    return event.provisioning!;
  });
}
