import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, isUniqueViolation } from '../../lib/errors.js';
import { TenantProvisioningStatus } from '../../tenants/tenant.entity.js';
import { appendEvent } from '../db/append-event.js';
import { loadLatestRun } from '../db/load-run.js';
import { saveRun, saveStep } from '../db/save-state.js';
import { inTransaction } from '../db/sql.js';
import { lockTenant, updateTenantStatus } from '../db/update-tenant-status.js';
import { ACTIVE_RUN_STATUSES, EventType, RunStatus, StepStatus, type StepKey } from '../model.js';
import { firstUnfinishedStep, stepOf, toView, type ProvisioningView, type RunState, type StepState } from '../run-state.js';
import { noRunYet, notResumable, runInProgress, tenantNotFound } from './errors.js';
import type { Lease } from './start-run.js';

export type ResumeMode = { kind: 'retry'; step?: StepKey | null } | { kind: 'continue' };

/**
 * retryProvisioning and continueProvisioning: put the latest run back IN_PROGRESS, leased to
 * the caller. Completed steps stay completed (attempts untouched) unless retry names one.
 */
export async function resumeRun(
  em: EntityManager,
  input: { tenantId: string; mode: ResumeMode; actor: string; lease: Lease },
): Promise<{ state: RunState; view: ProvisioningView }> {
  const action = input.mode.kind === 'retry' ? 'retry' : 'continue';
  try {
    return await inTransaction(em, async (sql) => {
      if (!(await lockTenant(sql, input.tenantId))) throw tenantNotFound(input.tenantId);
      const latest = await loadLatestRun(sql, input.tenantId, { forUpdate: true });
      if (!latest) throw noRunYet(input.tenantId);
      const { state } = latest;
      if (ACTIVE_RUN_STATUSES.includes(state.status)) throw runInProgress(state.id);

      const reset = stepsToReset(state, input.mode);
      if (state.status === RunStatus.COMPLETED && reset.length === 0) throw notResumable(state.status, action);
      if (reset.length === 0 && !firstUnfinishedStep(state)) {
        throw new AppError('INVALID_STATE', `Nothing to ${action}: every step of the run is completed or skipped. Name a step to re-run it.`);
      }
      for (const step of reset) Object.assign(step, { status: StepStatus.PENDING, error: null, errorCode: null, completedAt: null, durationMs: null });
      state.status = RunStatus.IN_PROGRESS;
      state.completedAt = null;
      state.currentStep = firstUnfinishedStep(state)?.key ?? state.currentStep;

      await sql(
        `UPDATE provisioning_run SET lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond', cancel_requested = false WHERE id = ?`,
        [input.lease.owner, input.lease.ms, state.id],
      );
      await saveRun(sql, state, input.lease.owner);
      for (const step of reset) await saveStep(sql, state.id, step);
      const names = reset.map((step) => step.key).join(', ');
      const event = await appendEvent(sql, {
        tenantId: input.tenantId,
        runId: state.id,
        type: EventType.RUN_STARTED,
        message: `${action === 'retry' ? 'Retry' : 'Continue'} requested by ${input.actor}${names ? `: re-running ${names}` : ''}`,
        view: (seq) => toView(state, seq),
      });
      await updateTenantStatus(sql, input.tenantId, TenantProvisioningStatus.PROVISIONING, null);
      return { state, view: event.provisioning! };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'provisioning_run_one_active_per_tenant')) throw runInProgress('another run');
    throw error;
  }
}

function stepsToReset(state: RunState, mode: ResumeMode): StepState[] {
  if (mode.kind === 'retry' && mode.step) {
    const step = stepOf(state, mode.step);
    return step.status === StepStatus.PENDING ? [] : [step];
  }
  if (state.status === RunStatus.COMPLETED) return [];
  return state.steps.filter((step) => step.status === StepStatus.FAILED);
}
