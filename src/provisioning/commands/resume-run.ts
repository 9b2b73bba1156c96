import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { TenantProvisioningStatus } from '../../tenants/model.js';
import { lockLatestRun } from '../db/load-run.js';
import { lockTenant } from '../db/lock-tenant.js';
import type { ProvisioningRun } from '../entities/provisioning-run.entity.js';
import type { ProvisioningStep } from '../entities/provisioning-step.entity.js';
import { ACTIVE_RUN_STATUSES, EventType, RunStatus, StepStatus, type StepKey } from '../model.js';
import type { ProvisioningView } from '../run-view.js';
import { firstUnfinishedStep, stepOf, stepsOf } from '../runs.js';
import type { TransitionWriter } from '../transitions/transition-writer.js';
import { noRunYet, notResumable, runInProgress, tenantNotFound } from './errors.js';
import { conflictOnSecondActiveRun, type Lease } from './start-run.js';

export type ResumeMode = { kind: 'retry'; step?: StepKey | null } | { kind: 'continue' };

/**
 * retryProvisioning and continueProvisioning: put the latest run back IN_PROGRESS, leased to
 * the caller. Completed steps stay completed (attempts untouched) unless retry names one.
 */
export async function resumeRun(
  writer: TransitionWriter,
  em: EntityManager,
  input: { tenantId: string; mode: ResumeMode; actor: string; lease: Lease },
): Promise<ProvisioningView> {
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
      Object.assign(run, { status: RunStatus.IN_PROGRESS, completedAt: null, cancelRequested: false });
      run.currentStep = firstUnfinishedStep(run)?.key ?? run.currentStep;

      const names = reset.map((step) => step.key).join(', ');
      const { event } = await record({
        run,
        steps: reset,
        event: { type: EventType.RUN_STARTED, message: `${action === 'retry' ? 'Retry' : 'Continue'} requested by ${input.actor}${names ? `: re-running ${names}` : ''}` },
        tenant: { status: TenantProvisioningStatus.PROVISIONING, error: null },
        author: { command: true, lease: input.lease },
      });
      return event.provisioning!;
    });
  } catch (error) {
    throw conflictOnSecondActiveRun(error, input.tenantId);
  }
}

function stepsToReset(run: ProvisioningRun, mode: ResumeMode): ProvisioningStep[] {
  if (mode.kind === 'retry' && mode.step) {
    const step = stepOf(run, mode.step);
    return step.status === StepStatus.PENDING ? [] : [step];
  }
  if (run.status === RunStatus.COMPLETED) return [];
  return stepsOf(run).filter((step) => step.status === StepStatus.FAILED);
}
