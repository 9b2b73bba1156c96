import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { lockLatestRun } from '../db/load-run.js';
import { lockTenant } from '../db/lock-tenant.js';
import type { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import type { ProvisioningStep } from '../entities/provisioning-step.entity.js';
import { ACTIVE_RUN_STATUSES, RunStatus, StepStatus, type StepKey } from '../model.js';
import { activeTenantStatus, runMessage } from '../run-kinds.js';
import type { ProvisioningView } from '../run-view.js';
import { firstUnfinishedStep, stepOf, stepsOf } from '../runs.js';
import type { RecordTransition, TransitionWriter } from '../transitions/transition-writer.js';
import { noRunYet, notInRun, notResumable, runInProgress, tenantNotFound } from './errors.js';
import { admitOrQueue, type Admission, type Schedule } from './admit.js';
import { conflictOnSecondActiveRun } from './start-run.js';

export type ResumeMode = { kind: 'retry'; step?: StepKey | null } | { kind: 'continue' };

/**
 * retryProvisioning and continueProvisioning: put the latest run back IN_PROGRESS, leased to
 * the caller. Completed steps stay completed (attempts untouched) unless retry names one.
 */
export async function resumeRun(
  writer: TransitionWriter,
  em: EntityManager,
  input: { tenantId: string; mode: ResumeMode; actor: string; admission: Admission; schedule: Schedule },
): Promise<{ view: ProvisioningView; admitted: boolean }> {
  const action = input.mode.kind === 'retry' ? 'retry' : 'continue';
  try {
    return await writer.transaction(em, async (tx, record) => {
      if (!(await lockTenant(tx, input.tenantId))) throw tenantNotFound(input.tenantId);
      const run = await lockLatestRun(tx, input.tenantId);
      if (!run) throw noRunYet(input.tenantId);
      if (ACTIVE_RUN_STATUSES.includes(run.status)) throw runInProgress(run.id);

      const reset = stepsToReset(run, input.mode);
      if (run.status === RunStatus.COMPLETED && reset.length === 0) throw notResumable(run.status, action);
      if (reset.length === 0 && !firstUnfinishedStep(run)) {
        throw new AppError('INVALID_STATE', `Nothing to ${action}: every step of the run is completed or skipped. Name a step to re-run it.`);
      }
      for (const step of reset) Object.assign(step, { status: StepStatus.PENDING, error: null, errorCode: null, completedAt: null, durationMs: null });
      Object.assign(run, { completedAt: null, cancelRequested: false });
      run.currentStep = firstUnfinishedStep(run)?.key ?? run.currentStep;

      const names = reset.map((step) => step.key).join(', ');
      // The reset steps and the tenant's status go with the run's first event (RUN_STARTED or RUN_QUEUED).
      const recordAccepted: RecordTransition = (transition) =>
        record({ ...transition, steps: reset, tenant: { status: activeTenantStatus(run), error: null } });
      return admitOrQueue(tx, recordAccepted, run, {
        admission: input.admission,
        schedule: input.schedule,
        accepted: runMessage(run, `${action === 'retry' ? 'Retry' : 'Continue'} requested by ${input.actor}${names ? `: re-running ${names}` : ''}`),
      });
    });
  } catch (error) {
    throw conflictOnSecondActiveRun(error, input.tenantId);
  }
}

function stepsToReset(run: ProvisioningRun, mode: ResumeMode): ProvisioningStep[] {
  if (mode.kind === 'retry' && mode.step) {
    const step = stepOf(run, mode.step);
    if (!step) throw notInRun(mode.step, run.template);
    return step.status === StepStatus.PENDING ? [] : [step];
  }
  if (run.status === RunStatus.COMPLETED) return [];
  return stepsOf(run).filter((step) => step.status === StepStatus.FAILED);
}
