import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../lib/errors.js';
import { lockLatestRun } from '../db/load-run.js';
import { lockTenant } from '../db/lock-tenant.js';
import { ACTIVE_RUN_STATUSES, EventType, RunStatus, StepStatus, type StepKey } from '../model.js';
import { isSkippable, stepDefinition } from '../plan/index.js';
import { runEnd } from '../run-kinds.js';
import type { ProvisioningView } from '../run-view.js';
import { isStepDone, stepOf, stepsOf } from '../runs.js';
import type { TransitionWriter } from '../transitions/transition-writer.js';
import { noRunYet, notInRun, tenantNotFound } from './errors.js';

/**
 * Records that a person chose to go without a non-critical step. When that step was what kept
 * a FAILED or PARTIAL run from completing, the run completes here.
 */
export async function skipStep(
  writer: TransitionWriter,
  em: EntityManager,
  input: { tenantId: string; step: StepKey; reason: string | null; actor: string },
): Promise<ProvisioningView> {
  const definition = stepDefinition(input.step);
  if (definition && !isSkippable(definition)) {
    throw new AppError('STEP_NOT_SKIPPABLE', `${input.step} is CRITICAL and cannot be skipped: fix its cause and call retryProvisioning.`, { step: input.step });
  }
  return writer.transaction(em, async (tx, record) => {
    if (!(await lockTenant(tx, input.tenantId))) throw tenantNotFound(input.tenantId);
    const run = await lockLatestRun(tx, input.tenantId);
    if (!run) throw noRunYet(input.tenantId);
    if (ACTIVE_RUN_STATUSES.includes(run.status)) {
      throw new AppError('INVALID_STATE', 'The run is still in progress: wait for it to stop, or cancel it, before skipping a step.');
    }
    const step = stepOf(run, input.step);
    if (!step) throw notInRun(input.step, run.template);
    if (isStepDone(step)) throw new AppError('INVALID_STATE', `${input.step} is already ${step.status}; there is nothing to skip.`, { step: input.step });

    const reason = input.reason?.trim() || `skipped by ${input.actor}`;
    Object.assign(step, { status: StepStatus.SKIPPED, skippedBy: input.actor, skipReason: reason, completedAt: new Date(), error: null, errorCode: null });
    const skipped = await record({
      run,
      steps: [step],
      event: { type: EventType.STEP_SKIPPED, step: step.key, message: `${definition?.title ?? step.key}: skipped by ${input.actor} (${reason})` },
      author: { command: true },
    });
    if (run.status === RunStatus.CANCELLED || !stepsOf(run).every(isStepDone)) return skipped.event.provisioning!;

    Object.assign(run, { status: RunStatus.COMPLETED, completedAt: new Date() });
    const end = runEnd(run, RunStatus.COMPLETED);
    const completed = await record({ run, event: { type: end.type, message: end.message }, tenant: end.tenant, author: { command: true } });
    return completed.event.provisioning!;
  });
}
